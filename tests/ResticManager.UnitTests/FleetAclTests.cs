using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using ResticManager.Broker;
using ResticManager.Protocol;

namespace ResticManager.UnitTests;

/// <summary>Who may read and write the fleet stream: the topic rules, reader names and client ids, and reader passwords.</summary>
public sealed class FleetAclTests
{
    const string Service = "$svc-notifications-0123";
    const string Agent = "01jd4m3v9ck1x2y3z4a5b6c7d8";

    // Written by `mosquitto_passwd -b file homeassistant pw1` (mosquitto 2): the embedded broker must accept it.
    const string MosquittoHash = "$7$101$Yqjw3PRE9eXtAAW0$VWp6shie3tDbONolKzn5b6sO80rljIXfWbacDA4aLeTJsKXSBZsOMRmXPmiBnL4fWVQ5ysoNaBZScxpnLJBzqg==";

    [Theory]
    [InlineData("rm/v1/fleet/#", true)]
    [InlineData("rm/v1/fleet/hosts/+/state", true)]
    [InlineData("rm/v1/fleet/hosts/" + Agent + "/jobs", true)]
    [InlineData("homeassistant/#", true)]
    [InlineData("homeassistant/status", true)]
    [InlineData("homeassistant/binary_sensor/+/backup_ok/config", true)]
    [InlineData("rm/v1/fleet/", false)]
    [InlineData("rm/v1/fleet", false)]
    [InlineData("homeassistant", false)]
    [InlineData("homeassistant/", false)]
    [InlineData("homeassistantx/#", false)]
    [InlineData("rm/v1/agents/#", false)]
    [InlineData("rm/v1/agents/" + Agent + "/cmd/#", false)]
    [InlineData("rm/v1/agents/+/status", false)]
    [InlineData("rm/v1/+/hosts/#", false)]
    [InlineData("rm/v1/#", false)]
    [InlineData("rm/#", false)]
    [InlineData("+/v1/fleet/#", false)]
    [InlineData("+/status", false)]
    [InlineData("#", false)]
    [InlineData("$share/g/rm/v1/fleet/#", false)]
    [InlineData("$SYS/#", false)]
    [InlineData("", false)]
    public void A_reader_subscribes_only_inside_the_fleet_and_discovery_trees(string filter, bool allowed) =>
        Assert.Equal(allowed, FleetReaders.MaySubscribe(filter, FleetTopics.DefaultDiscoveryPrefix));

    [Fact]
    public void A_custom_discovery_prefix_replaces_the_default_one()
    {
        Assert.True(FleetReaders.MaySubscribe("ha/discovery/#", "ha/discovery"));
        Assert.False(FleetReaders.MaySubscribe("homeassistant/#", "ha/discovery"));
        Assert.False(FleetReaders.MaySubscribe("ha/#", "ha/discovery"));
    }

    [Theory]
    [InlineData("rm/v1/fleet/hosts/h1/state", true, true)]
    [InlineData("rm/v1/fleet/hosts/h1/jobs", false, true)]
    [InlineData("homeassistant/sensor/resticmanager_h1/last_backup_age/config", true, true)]
    [InlineData("rm/v1/agents/a1/cmd/query.tree", false, true)]
    [InlineData("rm/v1/agents/a1/cmd/query.tree", true, false)]
    [InlineData("rm/v1/agents/a1/cmd/job.run", false, false)]
    [InlineData("rm/v1/agents/a1/status", true, false)]
    [InlineData("rm/v1/other/x", true, false)]
    [InlineData("other/x", true, false)]
    [InlineData("rm/v1/fleet/hosts/+/state", true, false)]
    [InlineData("homeassistant/#", true, false)]
    public void A_service_retains_only_inside_the_fleet_stream_and_never_a_query(string topic, bool retain, bool allowed) =>
        Assert.Equal(allowed, ServiceClients.MayPublish(Service, topic, retain, FleetTopics.DefaultDiscoveryPrefix));

    [Fact]
    public void Agents_and_readers_may_not_publish_the_fleet_stream_as_a_service()
    {
        Assert.False(ServiceClients.MayPublish(Agent, "rm/v1/fleet/hosts/h1/state", true, FleetTopics.DefaultDiscoveryPrefix));
        Assert.False(ServiceClients.MayPublish("HomeAssistant.1", "homeassistant/status", false, FleetTopics.DefaultDiscoveryPrefix));
    }

    [Theory]
    [InlineData("", true)]
    [InlineData("HA-4xZ9qQ", true)]
    [InlineData("mosq.reader", true)]
    [InlineData("reader:1", true)]
    [InlineData(Agent, false)]
    [InlineData("homeassistant", false)]
    [InlineData("a1", false)]
    [InlineData("$svc-notifications-1", false)]
    [InlineData("$reader-x", false)]
    [InlineData("Reader/1", false)]
    [InlineData("Reader+", false)]
    [InlineData("Reader#", false)]
    [InlineData("Reader 1", false)]
    public void A_readers_client_id_can_never_be_an_agents_or_a_services(string clientId, bool valid)
    {
        Assert.Equal(valid, FleetReaders.IsValidClientId(clientId));
        Assert.False(valid && clientId.Length > 0 && (AgentIdentity.IsValid(clientId) || ServiceClients.IsServiceClientId(clientId)));
    }

    [Fact]
    public void Every_client_that_is_neither_an_agent_nor_a_service_has_the_readers_rights()
    {
        Assert.True(FleetReaders.IsReader("HA-4xZ9qQ"));
        Assert.True(FleetReaders.IsReader(FleetReaders.AssignedClientIdPrefix + "0123"));
        Assert.False(FleetReaders.IsReader(Agent));
        Assert.False(FleetReaders.IsReader(Service));
    }

    [Theory]
    [InlineData("homeassistant", null)]
    [InlineData("Grafana.Reader_1", null)]
    [InlineData("", "must be 1 to 64 characters")]
    [InlineData("$service", "may contain only")]
    [InlineData("a:b", "may contain only")]
    [InlineData("a/b", "may contain only")]
    [InlineData("a b", "may contain only")]
    [InlineData(Agent, "has the form of an agent id")]
    public void Reader_names_are_safe_in_mosquittos_files_and_never_shaped_like_an_agent_id(string name, string? problem)
    {
        var actual = FleetReaders.UsernameProblem(name);
        if (problem is null)
        {
            Assert.Null(actual);
        }
        else
        {
            Assert.Contains(problem, actual);
        }
    }

    [Theory]
    [InlineData("homeassistant", true)]
    [InlineData("ha/discovery", true)]
    [InlineData("rm", false)]
    [InlineData("rm/v1", false)]
    [InlineData("", false)]
    [InlineData("/homeassistant", false)]
    [InlineData("homeassistant/", false)]
    [InlineData("home//assistant", false)]
    [InlineData("home+", false)]
    [InlineData("home#", false)]
    [InlineData("$SYS", false)]
    public void The_discovery_prefix_is_literal_levels_outside_rm(string prefix, bool valid) =>
        Assert.Equal(valid, FleetTopics.IsValidDiscoveryPrefix(prefix));

    [Fact]
    public void A_mosquitto_passwd_hash_and_our_own_verify_in_constant_time_and_refuse_other_passwords()
    {
        Assert.True(MosquittoPasswords.Verify("pw1"u8, MosquittoHash));
        Assert.False(MosquittoPasswords.Verify("pw2"u8, MosquittoHash));
        Assert.False(MosquittoPasswords.Verify(""u8, MosquittoHash));

        var ours = MosquittoPasswords.Hash("s3cret");
        Assert.StartsWith("$7$101$", ours);
        Assert.True(MosquittoPasswords.Verify("s3cret"u8, ours));
        Assert.False(MosquittoPasswords.Verify("s3cre"u8, ours));

        foreach (var malformed in new[] { "", "s3cret", "$6$101$c2FsdA==$aGFzaA==", "$7$x$c2FsdA==$aGFzaA==", "$7$0$c2FsdA==$aGFzaA==", "$7$101$!!$aGFzaA==", "$7$101$c2FsdA==" })
        {
            Assert.False(MosquittoPasswords.IsValid(malformed), malformed);
            Assert.False(MosquittoPasswords.Verify("s3cret"u8, malformed), malformed);
        }
    }

    [Fact]
    public void Readers_authenticate_with_a_clear_password_or_a_hash_and_nothing_else()
    {
        var access = Access(new Dictionary<string, string?>
        {
            ["Mqtt:Readers:0:Username"] = "homeassistant",
            ["Mqtt:Readers:0:PasswordHash"] = MosquittoHash,
            ["Mqtt:Readers:1:Username"] = "grafana",
            ["Mqtt:Readers:1:Password"] = "clear-text-1",
        });

        Assert.True(access.IsReader("homeassistant"));
        Assert.True(access.Authenticate("homeassistant", "pw1"u8));
        Assert.False(access.Authenticate("homeassistant", "clear-text-1"u8));
        Assert.True(access.Authenticate("grafana", "clear-text-1"u8));
        Assert.False(access.Authenticate("grafana", "clear-text-"u8));
        Assert.False(access.Authenticate("grafana", ""u8));
        Assert.False(access.IsReader("nobody"));
        Assert.False(access.Authenticate("nobody", "pw1"u8));
        Assert.Equal(FleetTopics.DefaultDiscoveryPrefix, access.DiscoveryPrefix);
    }

    [Fact]
    public void A_bad_reader_or_prefix_stops_the_start_naming_its_key()
    {
        var settings = new Dictionary<string, string?>
        {
            ["Mqtt:Readers:0:Username"] = Agent,
            ["Mqtt:Readers:0:Password"] = "x",
            ["Mqtt:Readers:1:Username"] = "ha",
            ["Mqtt:Readers:2:Username"] = "ha2",
            ["Mqtt:Readers:2:PasswordHash"] = "$6$not-mosquitto",
            ["Mqtt:Readers:3:Username"] = "ha3",
            ["Mqtt:Readers:3:Password"] = "x",
            ["Mqtt:Readers:3:PasswordHash"] = MosquittoHash,
            ["Mqtt:Readers:4:Username"] = "ha3",
            ["Mqtt:Readers:4:Password"] = "y",
            ["FleetStream:HomeAssistant:DiscoveryPrefix"] = "rm/ha",
        };
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var problems = FleetStreamAccess.Problems(configuration.GetSection("Mqtt").Get<BrokerOptions>()!, configuration).ToList();

        Assert.Contains(problems, p => p.StartsWith("Mqtt:Readers:0:Username has the form of an agent id", StringComparison.Ordinal));
        Assert.Contains("Mqtt:Readers:1 needs exactly one of Password and PasswordHash", problems);
        Assert.Contains(problems, p => p.StartsWith("Mqtt:Readers:2:PasswordHash must be in mosquitto's $7$ format", StringComparison.Ordinal));
        Assert.Contains("Mqtt:Readers:3 needs exactly one of Password and PasswordHash", problems);
        Assert.Contains("Mqtt:Readers:4:Username 'ha3' is configured twice", problems);
        Assert.Contains(problems, p => p.StartsWith("FleetStream:HomeAssistant:DiscoveryPrefix", StringComparison.Ordinal));
        Assert.Equal(6, problems.Count);
    }

    static FleetStreamAccess Access(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var options = Options.Create(configuration.GetSection("Mqtt").Get<BrokerOptions>()!);
        Assert.Empty(FleetStreamAccess.Problems(options.Value, configuration));
        return new FleetStreamAccess(options, configuration);
    }
}
