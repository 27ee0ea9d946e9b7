using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using ResticManager.Agent.Cli;
using ResticManager.Agent.Connection;
using ResticManager.Agent.Json;
using ResticManager.Agent.Restic;
using ResticManager.Agent.Restore;
using ResticManager.Agent.Storage;
using ResticManager.Protocol;

namespace ResticManager.UnitTests.SourceGeneratedJson;

/// <summary>
/// The agent's own files and messages through <see cref="AgentJsonContext"/>: what it wrote before (with reflection) it
/// writes now, so an upgraded agent reads the files an older one left, and the server reads the same summaries.
/// </summary>
public sealed class AgentJsonContextTests
{
    static readonly JsonSerializerOptions Reflection = new(WireJson.Options) { TypeInfoResolver = new DefaultJsonTypeInfoResolver() };

    public static TheoryData<Type> AgentTypes() =>
    [
        typeof(AgentConfig), typeof(AgentState), typeof(OutboxEnvelope), typeof(EnrollmentRequest), typeof(EnrollmentResponse),
        typeof(RestoreSummary), typeof(ForgetSummary), typeof(VersionInfo), typeof(List<string>),
    ];

    [Theory]
    [MemberData(nameof(AgentTypes))]
    public void The_generated_serializer_writes_what_reflection_wrote_and_reads_it_back(Type type)
    {
        Assert.True(((IJsonTypeInfoResolver)AgentJsonContext.Default).GetTypeInfo(type, AgentJsonContext.Default.Options) is not null,
            $"{type.Name} is missing from AgentJsonContext");
        var sample = WireSamples.Of(type);
        var expected = Text(JsonSerializer.SerializeToUtf8Bytes(sample, type, Reflection));

        var generatedOnly = new JsonSerializerOptions(AgentJson.Options) { TypeInfoResolver = JsonTypeInfoResolver.Combine(AgentJsonContext.Default, WireJsonContext.Default) };
        var generated = JsonSerializer.SerializeToUtf8Bytes(sample, generatedOnly.GetTypeInfo(type));
        Assert.Equal(expected, Text(generated));
        Assert.Equal(expected, Text(JsonSerializer.SerializeToUtf8Bytes(JsonSerializer.Deserialize(generated, generatedOnly.GetTypeInfo(type)), type, Reflection)));
    }

    [Fact]
    public void A_restore_summary_is_the_snake_case_object_the_server_has_always_read()
    {
        var tally = new RestoreTally(dryRun: true, _ => { });
        tally.Record(new RestoreDecision(RestoreAction.Create, null), "/srv/a", 10);
        tally.Record(new RestoreDecision(RestoreAction.Skip, "same"), "/srv/b", 0);
        tally.Fail("/srv/c", "denied");

        // The dictionary the agent wrote before, with the default options.
        var before = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["dry_run"] = true,
            ["files_restored"] = 1L,
            ["files_created"] = 1L,
            ["files_overwritten"] = 0L,
            ["files_skipped"] = 1L,
            ["files_refused"] = 0L,
            ["files_failed"] = 1L,
            ["bytes_restored"] = 10L,
            ["created"] = new List<string> { "/srv/a" },
            ["overwritten"] = new List<string>(),
            ["skipped"] = new List<string> { "/srv/b" },
            ["refused"] = new List<string>(),
            ["failed"] = new List<string> { "/srv/c: denied" },
        });
        Assert.Equal(before, tally.Summary().GetRawText());
    }

    [Fact]
    public void A_forget_summary_is_the_kept_and_removed_counts_as_before()
    {
        var summary = ResticOutput.ForgetSummary("""[{"keep":[{},{}],"remove":[{}]},{"keep":[{}],"remove":null}]""");
        Assert.Equal(JsonSerializer.Serialize(new { kept = 3, removed = 1 }), summary!.Value.GetRawText());
    }

    static string Text(byte[] utf8) => System.Text.Encoding.UTF8.GetString(utf8);
}
