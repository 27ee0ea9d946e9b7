using ResticManager.Access;
using ResticManager.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddAccess();
builder.Services.AddReverseProxy().LoadFromConfig(builder.Configuration.GetSection("ReverseProxy"));

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapAccess();
app.MapReverseProxy().RequireAuthorization(Policies.Viewer);
await app.MigrateDatabasesAsync();
app.Run();
