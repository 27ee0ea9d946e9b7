using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MQTTnet;
using MQTTnet.Formatter;
using ResticManager.Protocol;

namespace ResticManager.UnitTests;

/// <summary><c>/mqtt</c> speaks MQTT over WebSockets and nothing else: no long polling, no server-sent events.</summary>
public sealed class MqttWebSocketTransportTests
{
    [Fact]
    public async Task Mqtt_over_websocket_connects_while_long_polling_and_server_sent_events_are_refused()
    {
        await using var server = await InProcessServer.StartAsync();
        var http = server.Anonymous.BaseAddress!;

        // The WebSocket transport reaches the broker's gate (no such agent: refused by MQTT, not by HTTP).
        using (var client = new MqttClientFactory().CreateMqttClient())
        {
            var result = await client.ConnectAsync(new MqttClientOptionsBuilder()
                .WithConnectionUri(new Uri($"ws://{http.Authority}/mqtt"))
                .WithProtocolVersion(MqttProtocolVersion.V500)
                .WithClientId("ws-probe")
                .WithCredentials("ws-probe", "wrong")
                .WithUserProperty(ProtocolVersion.ConnectProperty, "1"u8.ToArray())
                .Build());
            Assert.Equal(MqttClientConnectResultCode.BadUserNameOrPassword, result.ResultCode);
        }

        // A bounded wait: before the fix a long-polling GET was held open by the server.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        using var negotiate = await server.Anonymous.PostAsync("/mqtt/negotiate?negotiateVersion=1", null, timeout.Token);
        negotiate.EnsureSuccessStatusCode();
        var body = await negotiate.Content.ReadFromJsonAsync<JsonElement>(timeout.Token);
        Assert.Equal(["WebSockets"], body.GetProperty("availableTransports").EnumerateArray().Select(t => t.GetProperty("transport").GetString()));
        var connectionToken = body.GetProperty("connectionToken").GetString();

        using var longPoll = await server.Anonymous.GetAsync($"/mqtt?id={connectionToken}", timeout.Token);
        Assert.Equal(HttpStatusCode.NotFound, longPoll.StatusCode);

        using var eventStream = new HttpRequestMessage(HttpMethod.Get, $"/mqtt?id={connectionToken}");
        eventStream.Headers.Accept.ParseAdd("text/event-stream");
        using var sse = await server.Anonymous.SendAsync(eventStream, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        Assert.Equal(HttpStatusCode.NotFound, sse.StatusCode);
    }
}
