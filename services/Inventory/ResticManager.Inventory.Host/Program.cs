using ResticManager.Inventory;
using ResticManager.ServiceDefaults;

var builder = ServiceHost.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddInventory();
builder.AddBus();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapInventory();
await app.MigrateDatabasesAsync();
app.Run();
