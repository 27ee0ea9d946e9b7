using ResticManager.Agent.Restic;
using ResticManager.Protocol;

namespace ResticManager.UnitTests;

public sealed class AgentRestoreInvocationTests
{
    static readonly RestoreSpec Spec = new("abcdef12", ["/srv/data/a.txt", "/srv/data/we[i]rd*.txt"], "/restore", RestoreOverwrite.IfChanged, Verify: true);

    [Fact]
    public void Restic_restores_into_the_staging_folder_without_overwrite_flags_and_with_literal_includes() =>
        Assert.Equal(
            ["restore", "abcdef12", "--target", "/staging", "--include", "/srv/data/a.txt", "--include", @"/srv/data/we\[i]rd\*.txt", "--verify"],
            ResticInvocation.RestoreArguments(Spec, "/staging"));

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
