using System.Text.Json.Serialization;

namespace ResticManager.Agent.Restore;

/// <summary>A restore job's summary, snake_case like restic's own summaries (the API shows them camelCase).</summary>
internal sealed record RestoreSummary(
    [property: JsonPropertyName("dry_run")] bool DryRun,
    [property: JsonPropertyName("files_restored")] long FilesRestored,
    [property: JsonPropertyName("files_created")] long FilesCreated,
    [property: JsonPropertyName("files_overwritten")] long FilesOverwritten,
    [property: JsonPropertyName("files_skipped")] long FilesSkipped,
    [property: JsonPropertyName("files_refused")] long FilesRefused,
    [property: JsonPropertyName("files_failed")] long FilesFailed,
    [property: JsonPropertyName("bytes_restored")] long BytesRestored,
    [property: JsonPropertyName("created")] IReadOnlyList<string> Created,
    [property: JsonPropertyName("overwritten")] IReadOnlyList<string> Overwritten,
    [property: JsonPropertyName("skipped")] IReadOnlyList<string> Skipped,
    [property: JsonPropertyName("refused")] IReadOnlyList<string> Refused,
    [property: JsonPropertyName("failed")] IReadOnlyList<string> Failed);
