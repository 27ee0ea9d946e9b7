using ResticManager.Inventory;
using ResticManager.ServiceDefaults;

if (args is ["mosquitto-files", ..])
{
    return await MosquittoFilesCommand.RunAsync(args[1..]);
}

var builder = ServiceHost.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddInventory();
builder.AddBus();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapInventory();
await app.MigrateDatabasesAsync();
app.Run();
return 0;
