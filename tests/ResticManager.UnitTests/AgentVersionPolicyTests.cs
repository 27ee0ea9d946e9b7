using ResticManager.Contracts;

namespace ResticManager.UnitTests;

/// <summary>When an agent counts as outdated against the version the server ships (semantic versioning precedence).</summary>
public sealed class AgentVersionPolicyTests
{
    const string Shipped = "1.4.0";
    const int Protocol = 2;

    [Theory]
    [InlineData("1.3.9", true)]
    [InlineData("0.9.0", true)]
    [InlineData("1.4", false)]
    [InlineData("1.4.0", false)]
    [InlineData("v1.4.0", false)]
    [InlineData("1.4.0+abc123", false)]
    [InlineData("1.4.1", false)]
    [InlineData("2.0.0", false)]
    public void An_agent_is_outdated_only_when_older_than_the_shipped_version(string agent, bool outdated) =>
        Assert.Equal(outdated, AgentVersionPolicy.IsOutdated(agent, Protocol, Shipped, Protocol));

    [Theory]
    [InlineData("1.4.0-rc.1", "1.4.0", true)]
    [InlineData("1.4.0", "1.4.0-rc.1", false)]
    [InlineData("1.4.0-rc.1", "1.4.0-rc.2", true)]
    [InlineData("1.4.0-rc.2", "1.4.0-rc.10", true)]
    [InlineData("1.4.0-rc.10", "1.4.0-rc.2", false)]
    [InlineData("1.4.0-alpha", "1.4.0-beta", true)]
    [InlineData("1.4.0-rc", "1.4.0-rc.1", true)]
    [InlineData("1.4.0-1", "1.4.0-rc", true)]
    [InlineData("1.5.0-rc.1", "1.4.0", false)]
    [InlineData("1.4.0-rc.1", "1.4.0-rc.1", false)]
    public void A_pre_release_comes_before_its_release(string agent, string shipped, bool outdated) =>
        Assert.Equal(outdated, AgentVersionPolicy.IsOutdated(agent, Protocol, shipped, Protocol));

    [Theory]
    [InlineData("dev")]
    [InlineData("")]
    [InlineData(null)]
    [InlineData("1.2.3.4.5")]
    [InlineData("1.4.0-")]
    [InlineData("1.4.0-rc..1")]
    public void A_version_that_does_not_parse_is_not_judged(string? agent)
    {
        Assert.False(AgentVersionPolicy.IsOutdated(agent, Protocol, Shipped, Protocol));
        Assert.Null(AgentVersionPolicy.Compare(agent, Shipped));
    }

    [Fact]
    public void An_older_protocol_is_outdated_whatever_the_version_says()
    {
        Assert.True(AgentVersionPolicy.IsOutdated("1.4.0", Protocol - 1, Shipped, Protocol));
        Assert.True(AgentVersionPolicy.IsOutdated("dev", Protocol - 1, Shipped, Protocol));
        Assert.False(AgentVersionPolicy.IsOutdated("1.4.0", Protocol, Shipped, Protocol));
        Assert.False(AgentVersionPolicy.IsOutdated(null, null, Shipped, Protocol));
    }

    [Fact]
    public void The_shipped_version_is_the_builds_own_without_build_metadata()
    {
        var informational = typeof(AgentVersionPolicy).Assembly
            .GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), false)
            .Cast<System.Reflection.AssemblyInformationalVersionAttribute>().Single().InformationalVersion;
        Assert.Equal(informational.Split('+')[0], AgentVersionPolicy.Shipped);
        Assert.DoesNotContain('+', AgentVersionPolicy.Shipped);
        Assert.Equal(0, AgentVersionPolicy.Compare(AgentVersionPolicy.Shipped, AgentVersionPolicy.Shipped));
        Assert.False(AgentVersionPolicy.IsOutdated(AgentVersionPolicy.Shipped, ResticManager.Protocol.ProtocolVersion.MaxSupported));
    }
}
