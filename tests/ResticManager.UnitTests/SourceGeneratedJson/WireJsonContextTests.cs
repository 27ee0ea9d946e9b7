using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using ResticManager.Protocol;

namespace ResticManager.UnitTests.SourceGeneratedJson;

/// <summary>
/// The NativeAOT agent serializes through <see cref="WireJsonContext"/> only (no reflection there): every wire type must be in
/// it, and the generated code must write exactly what the reflection serializer wrote with the wire settings before.
/// </summary>
public sealed class WireJsonContextTests
{
    /// <summary>Public types of the protocol assembly that are not messages or parts of one.</summary>
    static readonly HashSet<Type> NotOnTheWire =
    [
        typeof(AgentMessage), typeof(ParseFailure), typeof(ReconnectBackoff), typeof(WireJsonContext), typeof(WireEnumConverter<>),
    ];

    /// <summary>WireJson.Options as it was defined before the source generation: reflection only.</summary>
    static readonly JsonSerializerOptions Reflection = ReflectionOptions();

    /// <summary>Every public record, struct and enum of the protocol, but for <see cref="NotOnTheWire"/>.</summary>
    static List<Type> FindWireTypes() =>
    [
        .. typeof(WireJson).Assembly.GetExportedTypes()
            .Where(t => t.Namespace == "ResticManager.Protocol" && !NotOnTheWire.Contains(t) && !t.IsInterface && !(t.IsAbstract && t.IsSealed))
            .OrderBy(t => t.Name, StringComparer.Ordinal),
    ];

    public static TheoryData<Type> WireTypes() => [.. FindWireTypes()];

    [Fact]
    public void The_wire_types_are_found()
    {
        // Guards the discovery itself: an empty or tiny list would let every other test here pass vacuously.
        var names = FindWireTypes().Select(t => t.Name).ToList();
        Assert.Contains(nameof(RunJob), names);
        Assert.Contains(nameof(JobFinished), names);
        Assert.Contains(nameof(QueryErrorCode), names);
        Assert.True(names.Count >= 45, $"only {names.Count} wire types found");
    }

    [Theory]
    [MemberData(nameof(WireTypes))]
    public void Every_wire_type_has_generated_metadata(Type type) =>
        Assert.True(((IJsonTypeInfoResolver)WireJsonContext.Default).GetTypeInfo(type, WireJsonContext.Default.Options) is not null,
            $"{type.Name} is missing from WireJsonContext: the NativeAOT agent cannot read or write it");

    [Theory]
    [MemberData(nameof(WireTypes))]
    public void The_generated_serializer_writes_what_reflection_wrote_and_reads_it_back(Type type)
    {
        var sample = WireSamples.Of(type);
        var expected = JsonSerializer.SerializeToUtf8Bytes(sample, type, Reflection);

        // The context's own options: no reflection anywhere, as in the agent.
        var generated = JsonSerializer.SerializeToUtf8Bytes(sample, WireJsonContext.Default.Options.GetTypeInfo(type));
        Assert.Equal(Text(expected), Text(generated));
        Assert.Equal(Text(expected), Text(JsonSerializer.SerializeToUtf8Bytes(sample, type, WireJson.Options)));

        var read = JsonSerializer.Deserialize(generated, WireJsonContext.Default.Options.GetTypeInfo(type));
        Assert.Equal(Text(expected), Text(JsonSerializer.SerializeToUtf8Bytes(read, type, Reflection)));
    }

    [Fact]
    public void Enums_travel_as_camel_case_names_and_numbers_are_refused()
    {
        Assert.Equal("\"restore\"", Text(WireJson.Serialize(JobKind.Restore)));
        Assert.Equal("\"badRequest\"", Text(WireJson.Serialize(QueryErrorCode.BadRequest)));
        Assert.Throws<JsonException>(() => WireJson.Deserialize<JobKind>("1"u8));
    }

    [Fact]
    public void The_wire_settings_hold_unknown_fields_ignored_nulls_left_out_names_case_insensitive_depth_16()
    {
        var read = WireJson.Deserialize<CancelJob>("""{"JOBID":"j1","somethingNew":{"a":[1,2]}}"""u8);
        Assert.Equal("j1", read!.JobId);
        Assert.Equal("""{"eventIds":["e"]}""", Text(WireJson.Serialize(new Acknowledge(["e"]))));
        Assert.DoesNotContain("null", Text(WireJson.Serialize(new ConfigUpdate(3, null))), StringComparison.Ordinal);
        Assert.Equal(16, WireJson.Options.MaxDepth);
    }

    [Fact]
    public void A_type_outside_the_context_still_works_where_reflection_is_enabled_as_on_the_server()
    {
        // The server writes its own types (job requests, schedules) with WireJson.Options; this test runs with reflection on.
        var json = Text(JsonSerializer.SerializeToUtf8Bytes(new ServerOnly("x", ServerOnlyKind.SecondKind, null), WireJson.Options));
        Assert.Equal("""{"name":"x","kind":"secondKind"}""", json);
        Assert.Equal(new ServerOnly("x", ServerOnlyKind.SecondKind, null), JsonSerializer.Deserialize<ServerOnly>(json, WireJson.Options));
    }

    static JsonSerializerOptions ReflectionOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            MaxDepth = 16,
            TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
        };
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false));
        options.MakeReadOnly();
        return options;
    }

    static string Text(byte[] utf8) => System.Text.Encoding.UTF8.GetString(utf8);

    public enum ServerOnlyKind
    {
        FirstKind,
        SecondKind,
    }

    public sealed record ServerOnly(string Name, ServerOnlyKind Kind, string? Note);
}
