using ResticManager.Schedules;
using ResticManager.ServiceDefaults;

var builder = ServiceHost.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddSchedules();
builder.AddBus();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapSchedules();
await app.MigrateDatabasesAsync();
app.Run();
