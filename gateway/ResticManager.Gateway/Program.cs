using ResticManager.Access;
using ResticManager.Gateway;
using ResticManager.ServiceDefaults;

var builder = ServiceHost.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddAccess();
builder.AddServiceRoutes();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapAccess();
app.MapReverseProxy();
await app.MigrateDatabasesAsync();
app.Run();
