namespace ResticManager.IntegrationTests.Packaging;

/// <summary>lintian on a built .deb, failing on warnings as well as errors; informational tags are printed too (not --show-overrides: with it lintian 2.116 fails on the overridden tags).</summary>
static class Lintian
{
    public static Task<Tool> CheckAsync(string deb) =>
        Tool.RunAsync("lintian", "--fail-on", "error,warning", "--display-info", deb);
}
