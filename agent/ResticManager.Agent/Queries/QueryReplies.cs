using System.Buffers;
using System.Globalization;
using MQTTnet;
using MQTTnet.Protocol;
using ResticManager.Agent.Connection;
using ResticManager.Protocol;

namespace ResticManager.Agent.Queries;

/// <summary>
/// Sends a query's answers live (QoS 1, never retained, never through the outbox: an answer nobody waits
/// for any more is worthless after a reconnect). False when not connected: the answer is dropped.
/// </summary>
public sealed class QueryReplies(AgentLink link)
{
    const string Json = "application/json";

    public Task<bool> OkAsync<T>(QueryReplyAddress to, T page, CancellationToken ct) =>
        SendAsync(to, AgentQueries.Ok, null, new ReadOnlySequence<byte>(WireJson.Serialize(page)), Json, ct);

    public Task<bool> ErrorAsync(QueryReplyAddress to, QueryError error, CancellationToken ct) =>
        SendAsync(to, AgentQueries.Error, null, new ReadOnlySequence<byte>(WireJson.Serialize(error)), Json, ct);

    /// <param name="bytes">Read only until the broker acknowledged it; the caller may then reuse the buffer.</param>
    public Task<bool> ChunkAsync(QueryReplyAddress to, int seq, ReadOnlyMemory<byte> bytes, CancellationToken ct) =>
        SendAsync(to, AgentQueries.Chunk, seq, new ReadOnlySequence<byte>(bytes), "application/octet-stream", ct);

    public Task<bool> EndAsync(QueryReplyAddress to, int chunks, CancellationToken ct) =>
        SendAsync(to, AgentQueries.End, chunks, ReadOnlySequence<byte>.Empty, null, ct);

    async Task<bool> SendAsync(QueryReplyAddress to, string kind, int? seq, ReadOnlySequence<byte> payload, string? contentType, CancellationToken ct)
    {
        var builder = new MqttApplicationMessageBuilder()
            .WithTopic(to.Topic)
            .WithPayload(payload)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .WithRetainFlag(false)
            .WithCorrelationData(to.CorrelationData)
            .WithUserProperty(AgentQueries.ReplyProperty, Utf8(kind));
        if (seq is { } n)
        {
            builder.WithUserProperty(AgentQueries.SequenceProperty, Utf8(n.ToString(CultureInfo.InvariantCulture)));
        }

        if (contentType is not null)
        {
            builder.WithContentType(contentType);
        }

        return await link.TryPublishAsync(builder.Build(), ct);
    }

    static ReadOnlyMemory<byte> Utf8(string value) => System.Text.Encoding.UTF8.GetBytes(value);
}
