using ResticManager.Server;

var app = EmbeddedServer.Build(args);
await app.StartEmbeddedAsync();
await app.WaitForShutdownAsync();
