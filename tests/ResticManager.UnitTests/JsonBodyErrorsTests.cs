using System.Text.Json;
using ResticManager.Protocol;
using ResticManager.ServiceDefaults;

namespace ResticManager.UnitTests;

/// <summary>A body that does not read as its type becomes one field error: the JSON path and what it must be.</summary>
public sealed class JsonBodyErrorsTests
{
    static readonly JsonSerializerOptions Options = CreateOptions();

    [Theory]
    [InlineData("""{"kind": "backup", "paths": "/tmp"}""", "paths", "must be an array of strings")]
    [InlineData("""{"kind": "teleport"}""", "kind", "must be one of: init, backup, forget, prune, check, unlock, stats, restore")]
    [InlineData("""{"kind": 1}""", "kind", "must be one of: init, backup, forget, prune, check, unlock, stats, restore")]
    [InlineData("""{"paths": ["/a", 1]}""", "paths[1]", "must be a string")]
    [InlineData("""{"retention": {"keepLast": "three"}}""", "retention.keepLast", "must be an integer")]
    [InlineData("""{"retention": 5}""", "retention", "must be an object")]
    [InlineData("""{"timeoutSeconds": true}""", "timeoutSeconds", "must be an integer")]
    [InlineData("""{"env": {"A": 1}}""", "env.A", "must be a string")]
    [InlineData("""{"env": []}""", "env", "must be an object whose values are strings")]
    [InlineData("[]", "body", "must be an object")]
    [InlineData("\"x\"", "body", "must be an object")]
    public void A_value_of_the_wrong_kind_names_its_field_and_what_it_must_be(string json, string field, string message)
    {
        Assert.Equal((field, message), Describe(json));
    }

    [Theory]
    [InlineData("""{"kind": """, 10)]
    [InlineData("""{"kind": "backup",}""", 19)]
    [InlineData("""{"kind" "backup"}""", 9)]
    public void Json_that_does_not_parse_is_the_body_field_with_its_position(string json, int position)
    {
        var (field, message) = Describe(json);
        Assert.Equal("body", field);
        Assert.StartsWith("is not valid JSON: ", message);
        Assert.EndsWith($"(line 1, byte {position})", message);
    }

    static (string, string) Describe(string json)
    {
        var error = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<Body>(json, Options));
        return JsonBodyErrors.Describe(error, typeof(Body), Options);
    }

    static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        Extensions.ConfigureJson(options);
        return options;
    }

    sealed record Body(JobKind? Kind, IReadOnlyList<string>? Paths, RetentionPolicy? Retention, int? TimeoutSeconds, IReadOnlyDictionary<string, string>? Env);
}
