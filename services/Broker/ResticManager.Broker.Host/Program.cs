using ResticManager.Broker;
using ResticManager.ServiceDefaults;

var builder = ServiceHost.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddBroker();
builder.AddBus();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapBroker();
app.Run();
