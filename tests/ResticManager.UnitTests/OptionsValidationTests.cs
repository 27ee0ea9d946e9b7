using Microsoft.Extensions.Options;

namespace ResticManager.UnitTests;

/// <summary>A bad setting stops the server at start with a message naming its key, instead of misbehaving later.</summary>
public sealed class OptionsValidationTests
{
    [Theory]
    [InlineData("Inventory:StaleCheckInterval", "00:00:00")]
    [InlineData("Inventory:EnrollmentTokenLifetime", "-00:05:00")]
    [InlineData("Inventory:MqttPublicUrl", "http://broker.example:1883")]
    [InlineData("Mqtt:Port", "70000")]
    [InlineData("Mqtt:AuthenticationTimeout", "00:00:00")]
    [InlineData("Mqtt:MaxPendingMessagesPerClient", "0")]
    [InlineData("Mqtt:AgentMessagesPerSecond", "0")]
    [InlineData("Mqtt:AgentMessageBurst", "0")]
    [InlineData("Mqtt:AgentRepliesPerSecond", "0")]
    [InlineData("Mqtt:AgentReplyBurst", "0")]
    [InlineData("Mqtt:AgentFloodThreshold", "0")]
    [InlineData("Http:MaxRequestBodyBytes", "0")]
    [InlineData("Http:TrustedProxies", "proxy.example")]
    [InlineData("Http:TrustedProxies", "10.0.0.0/33")]
    [InlineData("Http:TrustedProxies", " , ")]
    [InlineData("Mqtt:BindAddress", "not-an-address")]
    [InlineData("Mqtt:Tls:CertificatePath", "/nonexistent/server.pfx")]
    public async Task A_bad_value_stops_the_server_at_start_naming_the_key(string key, string value)
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => InProcessServer.StartAsync(null, "--" + key, value));
        Assert.Contains(key, error.Message, StringComparison.Ordinal);
    }
}
