using System.Text.Json;
using ResticManager.BuildingBlocks;
using ResticManager.Protocol;

namespace ResticManager.UnitTests;

public sealed class RetentionPolicyTests
{
    [Fact]
    public void A_policy_shows_only_its_keep_rules_in_the_api_and_on_the_wire()
    {
        var policy = new RetentionPolicy(KeepLast: 3, KeepWithin: "30d");

        foreach (var json in new[] { JsonSerializer.Serialize(policy, ApiJson.Options), JsonSerializer.Serialize(policy, WireJson.Options) })
        {
            var names = JsonDocument.Parse(json).RootElement.EnumerateObject().Select(p => p.Name).ToList();
            Assert.Equal(["keepLast", "keepWithin"], names);
        }

        Assert.False(policy.IsEmpty);
    }
}
