namespace ResticManager.IntegrationTests;

/// <summary>
/// The gateway serves the web UI itself (no service behind it has it), anonymously past its authorization
/// fallback and audit, beside the YARP routes. A lone gateway process: no route is followed here.
/// </summary>
public sealed class GatewayWebUiTests
{
    [Fact]
    public async Task The_gateway_serves_the_ui_files_and_index_html_for_deep_links_but_never_for_api_paths()
    {
        using var ui = new FakeWebUi();
        await using var gateway = await ServerProcess.StartAsync(new Dictionary<string, string> { ["WebUi:Path"] = ui.Path }, project: "ResticManager.Gateway");
        await FakeWebUi.AssertServedAsync(gateway.Anonymous, gateway.Api);
    }

    [Fact]
    public async Task Without_a_built_ui_the_gateway_answers_no_page_and_its_api_works()
    {
        using var none = FakeWebUi.Empty();
        await using var gateway = await ServerProcess.StartAsync(new Dictionary<string, string> { ["WebUi:Path"] = none.Path }, project: "ResticManager.Gateway");
        await FakeWebUi.AssertAbsentAsync(gateway.Api, "/api/users");
        Assert.Contains("The web UI is not built", gateway.Process!.Output, StringComparison.Ordinal);
    }
}
