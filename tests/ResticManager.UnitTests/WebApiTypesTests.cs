using System.Diagnostics;

namespace ResticManager.UnitTests;

/// <summary>
/// The web UI's API types are generated from the server's OpenAPI document (openapi-typescript) and
/// committed; this fails when they are stale. <c>RM_UPDATE_API_TYPES=1</c> rewrites them instead.
/// </summary>
public sealed class WebApiTypesTests
{
    static readonly string Web = Path.Combine(RepoPaths.Root, "web");
    static readonly string Committed = Path.Combine(Web, "src", "api", "schema.d.ts");

    [Fact]
    public async Task The_web_UI_API_types_match_the_servers_OpenAPI_document()
    {
        await using var server = await InProcessServer.StartAsync();
        var document = await server.Anonymous.GetStringAsync("/openapi/v1.json");

        using var folder = new TempDirectory("rm-api-types");
        var documentPath = Path.Combine(folder.Path, "openapi.json");
        var generatedPath = Path.Combine(folder.Path, "schema.d.ts");
        await File.WriteAllTextAsync(documentPath, document);
        var generator = Path.Combine(Web, "node_modules", "openapi-typescript", "bin", "cli.js");
        Assert.True(File.Exists(generator), $"{generator} is missing: the build runs 'npm ci' in web/ (or run it by hand)");

        using (var process = Process.Start(new ProcessStartInfo("node", [generator, documentPath, "--output", generatedPath])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Web,
        })!)
        {
            var errors = process.StandardError.ReadToEndAsync();
            await process.StandardOutput.ReadToEndAsync();
            await process.WaitForExitAsync();
            Assert.True(process.ExitCode == 0, "openapi-typescript failed: " + await errors);
        }

        var generated = await File.ReadAllTextAsync(generatedPath);
        if (Environment.GetEnvironmentVariable("RM_UPDATE_API_TYPES") == "1")
        {
            await File.WriteAllTextAsync(Committed, generated);
            return;
        }

        Assert.True(File.Exists(Committed) && await File.ReadAllTextAsync(Committed) == generated,
            "web/src/api/schema.d.ts is stale: run RM_UPDATE_API_TYPES=1 dotnet test tests/ResticManager.UnitTests --filter WebApiTypesTests and commit it");
    }
}
