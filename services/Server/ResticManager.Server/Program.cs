using ResticManager.Server;
using ResticManager.Server.Demo;

var app = EmbeddedServer.Build(DemoExtensions.WithDemoSwitch(args), builder => builder.AddDemo());
await app.StartEmbeddedAsync();
await app.WaitForShutdownAsync();
