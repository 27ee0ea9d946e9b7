using ResticManager.Notifications;
using ResticManager.ServiceDefaults;

var builder = ServiceHost.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddNotifications();
builder.AddBus();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapNotifications();
await app.MigrateDatabasesAsync();
app.Run();
