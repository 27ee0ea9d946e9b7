using System.Reflection;
using System.Text.Json;
using ResticManager.Agent;
using ResticManager.Agent.Cli;
using ResticManager.Agent.Json;
using ResticManager.Protocol;

namespace ResticManager.UnitTests.AgentVersion;

/// <summary>What <c>version</c> reports: the version the server compares, the protocol, and the commit the build came from.</summary>
public sealed class AgentVersionTests
{
    static readonly string Informational =
        typeof(SystemInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion;

    [Fact]
    public void The_agent_version_is_the_informational_version_without_build_metadata()
    {
        Assert.DoesNotContain('+', SystemInfo.AgentVersion);
        Assert.StartsWith(SystemInfo.AgentVersion, Informational, StringComparison.Ordinal);
    }

    [Fact]
    public void The_build_is_the_commit_stamped_from_git_when_built_in_a_checkout()
    {
        // Built from this repository's checkout, as the tests are: the SDK's Source Link puts the commit after '+'.
        Assert.Contains('+', Informational);
        Assert.Equal(Informational[(Informational.IndexOf('+') + 1)..], SystemInfo.Build);
        Assert.Matches("^[0-9a-f]{40}$", SystemInfo.Build);
    }

    [Fact]
    public void Version_json_names_agent_protocol_build_and_runtime()
    {
        var info = new VersionInfo(SystemInfo.AgentVersion, ProtocolVersion.Current, SystemInfo.Build, SystemInfo.Runtime);
        using var json = JsonDocument.Parse(AgentJson.Serialize(info));
        Assert.Equal(SystemInfo.AgentVersion, json.RootElement.GetProperty("agent").GetString());
        Assert.Equal(ProtocolVersion.Current, json.RootElement.GetProperty("protocol").GetInt32());
        Assert.Equal(SystemInfo.Build, json.RootElement.GetProperty("build").GetString());
        Assert.StartsWith("linux-", json.RootElement.GetProperty("runtime").GetString(), StringComparison.Ordinal);
    }
}
