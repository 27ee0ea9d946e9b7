using System.Text.Json;

namespace ResticManager.Protocol;

public sealed record JobFinished(
    string EventId,
    string JobId,
    long Seq,
    JobOutcome Outcome,
    int? ExitCode,
    string? Error,
    JsonElement? Summary,
    long LogLines,
    DateTimeOffset FinishedAt) : IOutboxEvent;
