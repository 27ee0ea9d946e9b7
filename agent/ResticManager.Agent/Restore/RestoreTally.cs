using System.Text.Json;
using ResticManager.Agent.Json;

namespace ResticManager.Agent.Restore;

/// <summary>
/// Counts what a restore did (or, in a dry run, would do) per file, logs each file up to a bound, and
/// lists the first few of each kind in the summary (a bounded number, and bounded characters in all),
/// which must stay well inside one MQTT message.
/// </summary>
public sealed class RestoreTally(bool dryRun, Action<string> log)
{
    public const int MaxLogged = 1000;
    public const int MaxListed = 50;

    /// <summary>Each list, in characters (five lists: 40 KiB at most); 50 paths of 4 KiB in each would be a megabyte.</summary>
    public const int MaxListedCharacters = 8 * 1024;

    readonly Dictionary<string, List<string>> listed = new(StringComparer.Ordinal);
    long logged;
    readonly Dictionary<string, int> listedCharacters = new(StringComparer.Ordinal);
    string? firstProblem;

    public long Created { get; private set; }

    public long Overwritten { get; private set; }

    public long Skipped { get; private set; }

    public long Refused { get; private set; }

    public long Failed { get; private set; }

    public long Bytes { get; private set; }

    /// <summary>Files not written for a reason the operator must see: refused (a link on the way) or failed.</summary>
    public long Problems => Refused + Failed;

    public void Record(RestoreDecision decision, string destination, long bytes)
    {
        switch (decision.Action)
        {
            case RestoreAction.Create:
                Created++;
                Bytes += bytes;
                Note("created", dryRun ? "would create" : "created", destination, null);
                break;
            case RestoreAction.Overwrite:
                Overwritten++;
                Bytes += bytes;
                Note("overwritten", dryRun ? "would overwrite" : "overwrote", destination, null);
                break;
            case RestoreAction.Skip:
                Skipped++;
                Note("skipped", dryRun ? "would skip" : "skipped", destination, decision.Reason);
                break;
            default:
                Refused++;
                Note("refused", dryRun ? "would refuse" : "refused", destination, decision.Reason);
                break;
        }
    }

    public void Fail(string destination, string reason)
    {
        Failed++;
        Note("failed", "failed", destination, reason);
    }

    /// <summary>The first problem, for the job's error, with how many there were.</summary>
    public string? Error =>
        Problems == 0 ? null
        : $"{Problems} file(s) not restored, e.g. {firstProblem}";

    public void Flush()
    {
        if (logged > MaxLogged)
        {
            log($"… {logged - MaxLogged} more file(s) not listed here; the summary has the counts");
        }
    }

    /// <summary>snake_case like restic's own summaries (the API shows them camelCase).</summary>
    public JsonElement Summary() => AgentJson.SerializeToElement(new RestoreSummary(
        dryRun, Created + Overwritten, Created, Overwritten, Skipped, Refused, Failed, Bytes,
        Listed("created"), Listed("overwritten"), Listed("skipped"), Listed("refused"), Listed("failed")));

    IReadOnlyList<string> Listed(string kind) => listed.GetValueOrDefault(kind) ?? [];

    void Note(string kind, string verb, string destination, string? reason)
    {
        if (++logged <= MaxLogged)
        {
            log(reason is null ? $"{verb} {destination}" : $"{verb} {destination}: {reason}");
        }

        if (!listed.TryGetValue(kind, out var paths))
        {
            listed[kind] = paths = [];
        }

        var entry = reason is null || kind is "skipped" ? destination : $"{destination}: {reason}";
        if (kind is "refused" or "failed")
        {
            firstProblem ??= entry;
        }

        var characters = listedCharacters.GetValueOrDefault(kind);
        if (paths.Count < MaxListed && characters + entry.Length <= MaxListedCharacters)
        {
            paths.Add(entry);
            listedCharacters[kind] = characters + entry.Length;
        }
    }
}
