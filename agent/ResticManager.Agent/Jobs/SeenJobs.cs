using ResticManager.Agent.Json;
using ResticManager.Agent.Storage;

namespace ResticManager.Agent.Jobs;

/// <summary>The last few hundred job ids received, kept on disk so a redelivered command never runs twice.</summary>
public sealed class SeenJobs(AgentFiles files)
{
    const int Keep = 500;
    readonly string path = Path.Combine(files.Directory, "jobs-seen.json");
    readonly object gate = new();
    List<string>? ids;

    public bool Contains(string jobId)
    {
        lock (gate)
        {
            return Load().Contains(jobId, StringComparer.Ordinal);
        }
    }

    public bool TryAdd(string jobId)
    {
        lock (gate)
        {
            var known = Load();
            if (known.Contains(jobId, StringComparer.Ordinal))
            {
                return false;
            }

            known.Add(jobId);
            if (known.Count > Keep)
            {
                known.RemoveRange(0, known.Count - Keep);
            }

            var temp = path + ".tmp";
            File.WriteAllBytes(temp, AgentJson.Serialize(known));
            File.Move(temp, path, overwrite: true);
            return true;
        }
    }

    List<string> Load() => ids ??= File.Exists(path) ? AgentJson.Deserialize<List<string>>(File.ReadAllBytes(path)) ?? [] : [];
}
