using System.Runtime.InteropServices;
using System.Text.Json;
using ResticManager.Testing;

/// <summary>
/// One way of shipping the agent: the packaged single file (packaging/build.sh), or today's framework-dependent build
/// run by <c>dotnet</c>, which also needs the shared .NET runtime on the host.
/// </summary>
sealed record AgentVariant(
    string Name,
    string Kind,
    string Program,
    IReadOnlyList<string> ProgramArguments,
    string Location,
    long FileBytes,
    long SharedRuntimeBytes,
    string SharedRuntime)
{
    /// <summary>The first 32 bytes of a .NET single-file bundle's header signature: an apphost bundle has it, a NativeAOT executable does not.</summary>
    static readonly byte[] BundleSignature =
    [
        0x8b, 0x12, 0x02, 0xb9, 0x6a, 0x61, 0x20, 0x38, 0x72, 0x7b, 0x93, 0x02, 0x14, 0xd7, 0xa0, 0x32,
        0x13, 0xf5, 0xb9, 0xe6, 0xef, 0xae, 0x33, 0x18, 0xee, 0x3b, 0x2d, 0xce, 0x24, 0xb3, 0x6a, 0xae,
    ];

    public static AgentVariant Packaged(string file)
    {
        var kind = File.ReadAllBytes(file).AsSpan().IndexOf(BundleSignature) >= 0 ? "self-contained single file (not NativeAOT)" : "NativeAOT";
        return new AgentVariant("packaged", kind, file, [], file, new FileInfo(file).Length, 0, "none");
    }

    /// <summary>The build the tests run (<c>dotnet ResticManager.Agent.dll</c>): its folder, and the shared frameworks its runtimeconfig names.</summary>
    public static AgentVariant FrameworkDependent()
    {
        var dll = RepoPaths.ProgramDll("ResticManager.Agent");
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException($"{dll} is missing: build the agent (the benchmark project references it)");
        }

        var folder = Path.GetDirectoryName(dll)!;
        var frameworks = RequiredFrameworks(Path.ChangeExtension(dll, ".runtimeconfig.json"));
        return new AgentVariant("framework-dependent", "framework-dependent (dotnet ResticManager.Agent.dll)", "dotnet", [dll], folder,
            FolderBytes(folder), frameworks.Sum(f => FolderBytes(f)), string.Join(", ", frameworks));
    }

    /// <summary>The shared framework folders <c>dotnet</c> would load: per framework named, the newest installed patch of its major.minor.</summary>
    static IReadOnlyList<string> RequiredFrameworks(string runtimeConfig)
    {
        using var config = JsonDocument.Parse(File.ReadAllText(runtimeConfig));
        var options = config.RootElement.GetProperty("runtimeOptions");
        var named = options.TryGetProperty("frameworks", out var many) ? many.EnumerateArray().ToList() : [options.GetProperty("framework")];

        // This process runs on the same dotnet: its runtime folder is <root>/shared/Microsoft.NETCore.App/<version>/.
        var shared = Path.GetFullPath(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", ".."));
        return named.Select(framework =>
        {
            var name = framework.GetProperty("name").GetString()!;
            var wanted = Version.Parse(framework.GetProperty("version").GetString()!);
            var installed = Directory.GetDirectories(Path.Combine(shared, name))
                .Select(d => (Folder: d, Version: Version.TryParse(Path.GetFileName(d), out var v) ? v : null))
                .Where(d => d.Version is not null && d.Version.Major == wanted.Major && d.Version.Minor == wanted.Minor && d.Version >= wanted)
                .OrderByDescending(d => d.Version)
                .FirstOrDefault();
            return installed.Folder ?? throw new DirectoryNotFoundException($"no {name} {wanted.Major}.{wanted.Minor}.x under {shared}");
        }).ToList();
    }

    /// <summary>Debug symbols (.pdb) left out: the packaged file ships without them too.</summary>
    static long FolderBytes(string folder) =>
        new DirectoryInfo(folder).EnumerateFiles("*", SearchOption.AllDirectories).Where(f => f.Extension != ".pdb").Sum(f => f.Length);

    /// <summary>The command that runs the agent with <paramref name="arguments"/>.</summary>
    public IReadOnlyList<string> Arguments(params string[] arguments) => [.. ProgramArguments, .. arguments];
}
