using ResticManager.Agent.Restic;
using ResticManager.Protocol;

namespace ResticManager.UnitTests;

public sealed class AgentCheckArgumentsTests
{
    static RunJob Check(JobOptions? options) =>
        new("job-1", JobKind.Check, null, null, null, null, options, null, DateTimeOffset.UtcNow.AddMinutes(5));

    [Fact]
    public void A_read_data_subset_n_of_t_wins_over_a_percentage() =>
        Assert.Equal(["check", "--read-data-subset=2/5"], ResticInvocation.JobArguments(Check(new JobOptions(ReadDataSubsetPercent: 10, ReadDataSubset: "2/5")), "host"));

    [Fact]
    public void A_percentage_alone_is_still_passed_as_a_percentage() =>
        Assert.Equal(["check", "--read-data-subset=10%"], ResticInvocation.JobArguments(Check(new JobOptions(ReadDataSubsetPercent: 10)), "host"));

    [Fact]
    public void A_blank_subset_falls_back_to_the_percentage() =>
        Assert.Equal(["check", "--read-data-subset=10%"], ResticInvocation.JobArguments(Check(new JobOptions(ReadDataSubsetPercent: 10, ReadDataSubset: " ")), "host"));

    [Fact]
    public void Without_options_check_reads_no_data() =>
        Assert.Equal(["check"], ResticInvocation.JobArguments(Check(null), "host"));

    [Theory]
    [InlineData("1/1", "1/1")]
    [InlineData("7/7", "7/7")]
    [InlineData("03/12", "3/12")]
    public void Valid_subsets_are_passed_normalised(string subset, string expected) =>
        Assert.Equal(["check", $"--read-data-subset={expected}"], ResticInvocation.JobArguments(Check(new JobOptions(ReadDataSubset: subset)), "host"));

    [Theory]
    [InlineData("0/5")]
    [InlineData("6/5")]
    [InlineData("-1/5")]
    [InlineData("+1/5")]
    [InlineData("1/0")]
    [InlineData("a/b")]
    [InlineData("1/")]
    [InlineData("/5")]
    [InlineData("1/2/3")]
    [InlineData(" 1/2")]
    [InlineData("1/2 --no-lock")]
    [InlineData("10%")]
    [InlineData("99999999999/99999999999")]
    public void A_malformed_subset_is_refused_rather_than_passed_to_restic(string subset)
    {
        var error = Assert.Throws<InvalidOperationException>(() => ResticInvocation.JobArguments(Check(new JobOptions(ReadDataSubsetPercent: 10, ReadDataSubset: subset)), "host"));
        Assert.Contains("read-data subset", error.Message);
    }
}

public sealed class AgentRepositoryAccessTests
{
    static readonly RepositoryConfig Host = new(
        "rest:https://backup.example/host", "host-password", "host-user", "host-credential",
        new Dictionary<string, string> { ["AWS_ACCESS_KEY_ID"] = "host-key", ["B2_ACCOUNT_ID"] = "host-b2" },
        UploadLimitKBps: 100, DownloadLimitKBps: 200);

    [Fact]
    public void Non_null_fields_replace_the_hosts_and_its_environment_goes_over_the_hosts_filtered()
    {
        var access = new RepositoryAccess("rest:https://admin.example/host", null, "admin-credential", "admin-password",
            new Dictionary<string, string> { ["AWS_ACCESS_KEY_ID"] = "admin-key", ["LD_PRELOAD"] = "/tmp/evil.so", ["RESTIC_PASSWORD_COMMAND"] = "cat /etc/shadow" });

        var merged = ResticInvocation.WithAccess(Host, access);

        Assert.Equal("rest:https://admin.example/host", merged.Url);
        Assert.Equal("host-user", merged.Username);
        Assert.Equal("admin-credential", merged.Credential);
        Assert.Equal("admin-password", merged.Password);
        Assert.Equal((100, 200), (merged.UploadLimitKBps, merged.DownloadLimitKBps));
        Assert.Equal(
            new Dictionary<string, string> { ["AWS_ACCESS_KEY_ID"] = "admin-key", ["B2_ACCOUNT_ID"] = "host-b2" },
            merged.Env!.OrderBy(e => e.Key, StringComparer.Ordinal).ToDictionary());

        var start = ResticInvocation.StartInfo("restic", ["prune"], merged, "/tmp/cache");
        Assert.Equal("rest:https://host-user:admin-credential@admin.example/host", start.Environment["RESTIC_REPOSITORY"]);
        Assert.Equal("admin-password", start.Environment["RESTIC_PASSWORD"]);
        Assert.NotEqual("/tmp/evil.so", start.Environment.TryGetValue("LD_PRELOAD", out var preload) ? preload : null);
        Assert.False(start.Environment.ContainsKey("RESTIC_PASSWORD_COMMAND"));
    }

    [Fact]
    public void The_hosts_configuration_is_left_untouched()
    {
        var before = Host.Env!.ToDictionary();
        _ = ResticInvocation.WithAccess(Host, new RepositoryAccess(null, "admin", null, null, new Dictionary<string, string> { ["AWS_ACCESS_KEY_ID"] = "admin-key", ["OS_TOKEN"] = "t" }));

        Assert.Equal("rest:https://backup.example/host", Host.Url);
        Assert.Equal("host-user", Host.Username);
        Assert.Equal("host-password", Host.Password);
        Assert.Equal(before, Host.Env!.ToDictionary());
    }

    [Fact]
    public void No_access_or_an_empty_one_keeps_the_hosts_values()
    {
        Assert.Same(Host, ResticInvocation.WithAccess(Host, null));

        var same = ResticInvocation.WithAccess(Host, new RepositoryAccess(null, null, null, null, null));
        Assert.Equal((Host.Url, Host.Username, Host.Credential, Host.Password), (same.Url, same.Username, same.Credential, same.Password));
        Assert.Equal(Host.Env!.OrderBy(e => e.Key, StringComparer.Ordinal), same.Env!.OrderBy(e => e.Key, StringComparer.Ordinal));
    }
}
