using ResticManager.Access;
using ResticManager.Gateway;
using ResticManager.ServiceDefaults;

var builder = ServiceHost.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddAccess();
builder.AddServiceRoutes();
// The audit log lives in the access module: its consumer takes every service's OperatorActed from the bus.
builder.AddBus();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapAccess();
// The service behind a route records its own requests (with the client address the proxy forwards).
app.MapReverseProxy().AuditedElsewhere();
// The UI's files come from the gateway itself, never from a service.
app.MapWebUi();
await app.MigrateDatabasesAsync();
app.Run();
