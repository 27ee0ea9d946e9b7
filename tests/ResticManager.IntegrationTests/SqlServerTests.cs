namespace ResticManager.IntegrationTests;

/// <summary>
/// SQL Server cannot run on the machines this suite is written for (no Docker engine, no package),
/// so this test runs where one is reachable: set <c>RM_TEST_SQLSERVER</c> to a connection string of a
/// login that may create databases. Without it the test reports itself skipped, with that reason,
/// instead of passing. The offline half (idempotent scripts for every service) runs everywhere, in
/// the unit tests.
/// </summary>
public sealed class SqlServerTests(ITestOutputHelper output)
{
    [SkippableFact]
    public async Task The_migrations_apply_and_enroll_bind_and_backup_run_on_sql_server()
    {
        var connectionString = Environment.GetEnvironmentVariable("RM_TEST_SQLSERVER");
        Skip.If(string.IsNullOrWhiteSpace(connectionString), "not run: no SQL Server here; set RM_TEST_SQLSERVER to a connection string to run it");

        var suffix = Guid.NewGuid().ToString("N")[..8];
        var settings = new Dictionary<string, string> { ["Database:Provider"] = "SqlServer" };
        foreach (var database in new[] { "access", "inventory", "jobs", "snapshots", "schedules" })
        {
            // SqlClient takes the last occurrence of a keyword: each service gets a fresh database.
            settings[$"ConnectionStrings:{database}"] = $"{connectionString!.TrimEnd(';')};Initial Catalog=rm_{database}_{suffix}";
        }

        await using var server = await ServerProcess.StartAsync(settings);
        await using var host = await JobTestHost.StartAsync(server, "sqlserver-host");
        var source = host.Folder.Combine("src");
        Restic.WriteRandomFiles(source, 2, 1000);
        var job = await server.WaitForJobAsync(await host.BackupAsync(source), TimeSpan.FromMinutes(1));
        Assert.Equal("succeeded", job.GetProperty("status").GetString());
        var snapshot = Assert.Single(await Restic.SnapshotsAsync(host.Repository, host.Password));
        await Eventually.HoldsAsync(async () => (await server.SnapshotShortIdsAsync(host.Id)).SequenceEqual([snapshot.ShortId]), TimeSpan.FromSeconds(30), "the snapshot is listed");

        // Quartz's clustered ADO store on SQL Server (it creates its own tables): a schedule fires a backup of a group.
        var group = await server.CreateGroupAsync(host.Id, new { name = "src", includes = new[] { source } });
        var schedule = await server.CreateScheduleAsync(host.Id, "*/2 * * * * *", group);
        await Eventually.HoldsAsync(async () => (await server.JobsOfScheduleAsync(schedule.GetProperty("id").GetString()!)).Any(j => j.Status() == "succeeded"),
            TimeSpan.FromMinutes(1), "a scheduled backup succeeds");
        await server.DisableScheduleAsync(host.Id, schedule);
        output.WriteLine($"ran against SQL Server, databases rm_*_{suffix} (left for inspection)");
    }
}
