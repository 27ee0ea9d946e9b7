using System.Diagnostics;

namespace ResticManager.IntegrationTests.Notifications;

[Collection(ServerCollection.Name)]
public sealed class MeasureTests(ServerFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task Measure_failing_jobs()
    {
        var server = fixture.Server;
        await using var host = await JobTestHost.StartAsync(server, "measure-host");
        var watch = Stopwatch.StartNew();
        var ids = new List<string>();
        for (var i = 0; i < 60; i++)
        {
            ids.Add(await host.BackupAsync("/nonexistent-rm-e2e/data"));
        }

        output.WriteLine($"queued 60 in {watch.Elapsed}");
        var first = await server.WaitForJobAsync(ids[0], TimeSpan.FromMinutes(1));
        output.WriteLine($"first: {first}");
        await server.WaitForJobAsync(ids[^1], TimeSpan.FromMinutes(5));
        output.WriteLine($"60 done in {watch.Elapsed}");
    }
}
