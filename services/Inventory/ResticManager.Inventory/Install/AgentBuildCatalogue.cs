using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using ResticManager.Contracts;

namespace ResticManager.Inventory;

/// <summary>
/// The agent builds this server hands out, read once at start from <c>builds.json</c> in
/// <see cref="InstallOptions.AgentBuildsPath"/>. The server hashes every file itself and leaves out a build
/// whose file is missing or whose hash disagrees with <c>builds.json</c>. The hashes are kept, never recomputed:
/// the files are immutable release artefacts, so one changed on disk after start is exactly the corrupted
/// download the install script must refuse.
/// </summary>
public sealed partial class AgentBuildCatalogue
{
    public const string ManifestFileName = "builds.json";

    static readonly JsonSerializerOptions ManifestJson = new(JsonSerializerDefaults.Web);

    readonly Dictionary<string, AgentBuild> byPlatform;

    AgentBuildCatalogue(string folder, string version, int? protocol, IReadOnlyList<AgentBuild> builds)
    {
        Folder = folder;
        Version = version;
        Protocol = protocol;
        Builds = builds;
        byPlatform = builds.ToDictionary(b => b.Platform, StringComparer.Ordinal);
    }

    /// <summary>Where the builds were looked for.</summary>
    public string Folder { get; }

    /// <summary>The agent version the server ships: <c>builds.json</c>'s, else <see cref="AgentVersionPolicy.Shipped"/>.</summary>
    public string Version { get; }

    public int? Protocol { get; }

    public IReadOnlyList<AgentBuild> Builds { get; }

    public AgentBuild? Find(string platform) => byPlatform.GetValueOrDefault(platform);

    /// <summary>Reads <c>builds.json</c> in <paramref name="folder"/> and hashes each build it lists.</summary>
    public static AgentBuildCatalogue Load(string folder, ILogger logger)
    {
        var manifestPath = Path.Combine(folder, ManifestFileName);
        BuildsManifest? manifest;
        try
        {
            using var stream = File.OpenRead(manifestPath);
            manifest = JsonSerializer.Deserialize<BuildsManifest>(stream, ManifestJson);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            logger.LogInformation("No agent builds to serve: {Manifest} does not exist (build them with packaging/build.sh)", manifestPath);
            return new AgentBuildCatalogue(folder, AgentVersionPolicy.Shipped, null, []);
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException)
        {
            logger.LogWarning("No agent builds to serve: {Manifest} cannot be read: {Error}", manifestPath, e.Message);
            return new AgentBuildCatalogue(folder, AgentVersionPolicy.Shipped, null, []);
        }

        var version = string.IsNullOrWhiteSpace(manifest?.Version) ? AgentVersionPolicy.Shipped : manifest.Version;
        // The version is baked into quoted strings of scripts that run as root: anything but a plain version
        // means builds.json is not what packaging/build.sh wrote, so none of its builds is trusted.
        if (!SemanticVersion().IsMatch(version))
        {
            logger.LogWarning("No agent builds to serve: {Manifest} gives the version '{Version}', which is not a semantic version", manifestPath, version);
            return new AgentBuildCatalogue(folder, AgentVersionPolicy.Shipped, null, []);
        }

        if (version != AgentVersionPolicy.Shipped)
        {
            logger.LogWarning("The agent builds in {Folder} are version {Version}, this server is {Shipped}: hosts installed from them are judged against {Shipped}",
                folder, version, AgentVersionPolicy.Shipped, AgentVersionPolicy.Shipped);
        }

        var builds = new List<AgentBuild>();
        foreach (var entry in manifest?.Builds ?? [])
        {
            if (Verified(folder, entry, logger) is { } build && builds.All(b => b.Platform != build.Platform))
            {
                builds.Add(build);
            }
        }

        logger.LogInformation("Serving agent {Version} builds from {Folder}: {Platforms}", version, folder,
            builds.Count == 0 ? "none" : string.Join(", ", builds.Select(b => b.Platform)));
        return new AgentBuildCatalogue(folder, version, manifest?.Protocol, builds);
    }

    static AgentBuild? Verified(string folder, BuildsManifestEntry entry, ILogger logger)
    {
        // A file name, not a path: builds.json must not point the server at files outside its folder.
        if (string.IsNullOrWhiteSpace(entry.Platform) || string.IsNullOrWhiteSpace(entry.File) || string.IsNullOrWhiteSpace(entry.Sha256)
            || Path.GetFileName(entry.File) != entry.File)
        {
            logger.LogWarning("Agent build left out: an entry in {Manifest} lacks platform, file or sha256, or names a path", Path.Combine(folder, ManifestFileName));
            return null;
        }

        var path = Path.Combine(folder, entry.File);
        string actual;
        long size;
        try
        {
            using var stream = File.OpenRead(path);
            actual = Convert.ToHexStringLower(SHA256.HashData(stream));
            size = stream.Length;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            logger.LogWarning("Agent build {Platform} left out: {File} does not exist", entry.Platform, path);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            logger.LogWarning("Agent build {Platform} left out: {File} cannot be read: {Error}", entry.Platform, path, e.Message);
            return null;
        }

        if (!string.Equals(actual, entry.Sha256, StringComparison.OrdinalIgnoreCase))
        {
            logger.LogWarning("Agent build {Platform} left out: {File} has SHA-256 {Actual}, builds.json says {Expected}", entry.Platform, path, actual, entry.Sha256);
            return null;
        }

        return new AgentBuild(entry.Platform, entry.File, path, actual, size);
    }

    /// <summary>SemVer 2.0: core, optional pre-release and build metadata; nothing a script could read as code.</summary>
    [GeneratedRegex(@"^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?(\+[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?\z")]
    private static partial Regex SemanticVersion();
}
