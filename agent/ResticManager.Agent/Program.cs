using ResticManager.Agent.Cli;

return await AgentCli.RunAsync(args);
