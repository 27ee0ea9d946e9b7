using ResticManager.Jobs;
using ResticManager.ServiceDefaults;

var builder = ServiceHost.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddJobs();
builder.AddBus();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapJobs();
await app.MigrateDatabasesAsync();
app.Run();
