namespace ResticManager.IntegrationTests.Packaging;

/// <summary>lintian on a built .deb, failing on warnings as well as errors; informational tags and the overridden ones (with their reasons) are printed too.</summary>
static class Lintian
{
    public static Task<Tool> CheckAsync(string deb) =>
        Tool.RunAsync("lintian", "--fail-on", "error,warning", "--display-info", "--show-overrides", deb);
}
