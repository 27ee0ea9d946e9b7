using ResticManager.Agent.Restic;
using ResticManager.Protocol;

namespace ResticManager.UnitTests;

public sealed class AgentRestoreInvocationTests
{
    static readonly RestoreSpec Spec = new("abcdef12", ["/srv/data/a.txt", "/srv/data/we[i]rd*.txt"], "/restore", RestoreOverwrite.IfChanged, Verify: true);

    [Fact]
    public void Restic_0_14_restores_into_the_given_folder_without_overwrite_flags_and_with_literal_includes() =>
        Assert.Equal(
            ["restore", "abcdef12", "--target", "/staging", "--include", "/srv/data/a.txt", "--include", @"/srv/data/we\[i]rd\*.txt", "--verify"],
            ResticInvocation.RestoreArguments(Spec, "/staging", ResticVersion.Parse("0.14.0")));

    [Theory]
    [InlineData("0.17.0", RestoreOverwrite.IfChanged, "if-changed")]
    [InlineData("0.18.1", RestoreOverwrite.IfNewer, "if-newer")]
    [InlineData("0.17.3-dev", RestoreOverwrite.Never, "never")]
    [InlineData("v0.17.1", RestoreOverwrite.Always, "always")]
    public void Restic_0_17_and_later_apply_the_policy_themselves_and_report_in_json(string version, RestoreOverwrite overwrite, string flag)
    {
        var args = ResticInvocation.RestoreArguments(Spec with { Overwrite = overwrite, Verify = false }, "/restore", ResticVersion.Parse(version));
        Assert.Equal(["restore", "abcdef12", "--target", "/restore", "--include", "/srv/data/a.txt", "--include", @"/srv/data/we\[i]rd\*.txt", "--json", "--overwrite", flag], args);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("0.16.4")]
    [InlineData("unknown")]
    public void An_older_or_unknown_restic_gets_no_overwrite_flag(string? version) =>
        Assert.DoesNotContain("--overwrite", ResticInvocation.RestoreArguments(Spec, "/staging", ResticVersion.Parse(version)));

    [Fact]
    public void The_plan_lists_the_requested_paths_recursively_without_a_lock() =>
        Assert.Equal(["ls", "--json", "--recursive", "--no-lock", "abcdef12", "/srv/data/a.txt", "/srv/data/we[i]rd*.txt"], ResticInvocation.RestoreListArguments(Spec));

    [Fact]
    public void Another_hosts_access_replaces_this_hosts_repository_entirely_and_keeps_only_its_bandwidth_limits()
    {
        var own = new RepositoryConfig("/repo-b", "password-b", "user-b", "credential-b", new Dictionary<string, string> { ["AWS_ACCESS_KEY_ID"] = "b-key" }, 100, 200);
        var source = new RepositoryAccess("/repo-a", null, null, "password-a", null);
        var repository = ResticInvocation.SourceRepository(own, source);
        Assert.Equal(("/repo-a", "password-a", (string?)null, (string?)null), (repository.Url, repository.Password, repository.Username, repository.Credential));
        Assert.Null(repository.Env);
        Assert.Equal((100, 200), (repository.UploadLimitKBps, repository.DownloadLimitKBps));
    }
}
