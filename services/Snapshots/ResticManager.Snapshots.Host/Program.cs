using ResticManager.ServiceDefaults;
using ResticManager.Snapshots;

var builder = ServiceHost.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddSnapshots();
builder.AddBus();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapSnapshots();
await app.MigrateDatabasesAsync();
app.Run();
