using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Configuration;
using ResticManager.Protocol;
using ResticManager.ServiceDefaults;

namespace ResticManager.UnitTests;

public sealed class ServiceIdentityTests
{
    const string Me = "$svc-snapshots-0123";

    [Theory]
    [InlineData("rm/v1/agents/+/reply/$svc-snapshots-0123", true)]
    [InlineData("rm/v1/agents/+/status", true)]
    [InlineData("rm/v1/agents/a1/reply/$svc-snapshots-0123", false)]
    [InlineData("rm/v1/agents/+/reply/$svc-other", false)]
    [InlineData("rm/v1/agents/+/reply/#", false)]
    [InlineData("rm/v1/agents/#", false)]
    [InlineData("rm/v1/agents/a1/status", false)]
    [InlineData("#", false)]
    public void A_service_subscribes_to_its_own_replies_and_the_agents_status_only(string filter, bool allowed) =>
        Assert.Equal(allowed, ServiceClients.MaySubscribe(Me, filter));

    [Theory]
    [InlineData("rm/v1/agents/a1/cmd/query.tree", true)]
    [InlineData("rm/v1/agents/a1/cmd/query.dump", true)]
    [InlineData("rm/v1/agents/a1/cmd/query.credit", true)]
    [InlineData("rm/v1/agents/a1/cmd/query.cancel", true)]
    [InlineData("rm/v1/agents/a1/cmd/job.run", false)]
    [InlineData("rm/v1/agents/a1/cmd/config", false)]
    [InlineData("rm/v1/agents/a1/cmd/query.tree/x", false)]
    [InlineData("rm/v1/agents/a1/evt/hello", false)]
    [InlineData("rm/v1/agents/a1/status", false)]
    [InlineData("rm/v1/agents/A1/cmd/query.tree", false)]
    [InlineData("other/a1/cmd/query.tree", false)]
    public void A_service_publishes_only_queries_to_a_valid_agent(string topic, bool allowed) =>
        Assert.Equal(allowed, ServiceClients.MayPublish(Me, topic));

    [Theory]
    [InlineData("$svc-snapshots-0123", true)]
    [InlineData("$svc-", false)]
    [InlineData("$svc-a/b", false)]
    [InlineData("$svc-a+", false)]
    [InlineData("$svc-a#", false)]
    [InlineData("svc-a", false)]
    [InlineData("a1", false)]
    public void Service_client_ids_carry_no_wildcard_or_separator_and_no_agent_id_is_one(string clientId, bool valid)
    {
        Assert.Equal(valid, ServiceClients.IsServiceClientId(clientId));
        Assert.False(valid && AgentIdentity.IsValid(clientId));
    }

    [Fact]
    public void The_service_secret_derives_from_the_signing_key_alike_in_every_process_and_is_random_without_one()
    {
        var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        static ServiceMqttCredentials With(string? signingKey) =>
            new(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [GatewayTokens.SigningKeySetting] = signingKey }).Build());

        var broker = With(key);
        var snapshots = With(key);
        Assert.Equal(broker.Password, snapshots.Password);
        Assert.True(broker.Matches(Encoding.UTF8.GetBytes(snapshots.Password)));
        Assert.NotEqual(key, broker.Password);
        Assert.NotEqual(broker.Password, With(Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))).Password);
        Assert.NotEqual(With(null).Password, With(null).Password);
        Assert.False(broker.Matches(Encoding.UTF8.GetBytes(snapshots.Password + "x")));
    }
}
