using ResticManager.Protocol;

namespace ResticManager.UnitTests;

public sealed class TopicAclTests
{
    [Theory]
    [InlineData("a1", "rm/v1/agents/a1/evt/hello", true)]
    [InlineData("a1", "rm/v1/agents/a1/status", true)]
    [InlineData("a1", "rm/v1/agents/a1/cmd/#", true)]
    [InlineData("a1", "rm/v1/agents/a1/+/hello", true)]
    [InlineData("a1", "rm/v1/agents/a10/evt/hello", false)]
    [InlineData("a10", "rm/v1/agents/a1/evt/hello", false)]
    [InlineData("a1", "rm/v1/agents/a1", false)]
    [InlineData("a1", "rm/v1/agents/a1/", false)]
    [InlineData("a1", "rm/v1/agents/+/status", false)]
    [InlineData("a1", "rm/v1/agents/#", false)]
    [InlineData("a1", "#", false)]
    [InlineData("a1", "$share/g/rm/v1/agents/a1/evt/hello", false)]
    [InlineData("a1", "$SYS/broker/clients", false)]
    [InlineData("a1", "RM/v1/agents/a1/evt/hello", false)]
    [InlineData("a+", "rm/v1/agents/a+/evt/hello", false)]
    [InlineData("", "rm/v1/agents//evt/hello", false)]
    public void An_agent_touches_only_topics_under_its_own_prefix(string agentId, string topic, bool allowed) =>
        Assert.Equal(allowed, Topics.IsAllowedForAgent(agentId, topic));

    [Theory]
    [InlineData("01m84v5p98sjedvdkgysp8j676", true)]
    [InlineData("host-1_a", true)]
    [InlineData("a/b", false)]
    [InlineData("a+b", false)]
    [InlineData("a#", false)]
    [InlineData("$server", false)]
    [InlineData("UPPER", false)]
    [InlineData("", false)]
    public void Agent_ids_never_contain_wildcards_separators_or_system_prefixes(string agentId, bool valid) =>
        Assert.Equal(valid, AgentIdentity.IsValid(agentId));

    [Fact]
    public void Topics_parse_back_into_agent_and_message()
    {
        Assert.True(Topics.TryParse(Topics.Event("a1", MessageTypes.Hello), out var agentId, out var rest));
        Assert.Equal("a1", agentId);
        Assert.Equal("evt/hello", rest);
        Assert.False(Topics.TryParse("other/a1/evt/hello", out _, out _));
    }
}
