namespace ResticManager.Server.Demo;

/// <summary>The demo's folders under the data folder: the agent's config, the sample folder it backs up, and the repository.</summary>
public sealed class DemoFolders(string root)
{
    public string Root { get; } = Path.GetFullPath(root);

    public string Agent => Path.Combine(Root, "agent");

    public string Sample => Path.Combine(Root, "sample");

    public string Repository => Path.Combine(Root, "repository");

    /// <summary>A few text files to back up, written once: later edits (to watch the next backup pick them up) are kept.</summary>
    public void CreateSample()
    {
        if (Directory.Exists(Sample))
        {
            return;
        }

        var temp = Sample + ".tmp";
        if (Directory.Exists(temp))
        {
            Directory.Delete(temp, recursive: true);
        }

        Directory.CreateDirectory(Path.Combine(temp, "notes"));
        Directory.CreateDirectory(Path.Combine(temp, "projects", "garden"));
        File.WriteAllText(Path.Combine(temp, "README.txt"),
            "The ResticManager demo backs this folder up every 5 minutes. Change, add or delete a file here,\n"
            + "then compare two snapshots in the web UI, or restore a file.\n");
        File.WriteAllText(Path.Combine(temp, "notes", "todo.txt"), "- water the tomatoes\n- renew the domain\n- try a restore\n");
        File.WriteAllText(Path.Combine(temp, "notes", "ideas.txt"), "A shed with a green roof.\nA rain barrel by the gate.\n");
        File.WriteAllText(Path.Combine(temp, "projects", "garden", "plan.txt"),
            string.Join('\n', Enumerable.Range(1, 40).Select(i => $"Bed {i}: {(i % 3 == 0 ? "beans" : i % 3 == 1 ? "carrots" : "lettuce")}")) + "\n");
        // Whole or not at all: a start cut short leaves no half sample behind.
        Directory.Move(temp, Sample);
    }
}
