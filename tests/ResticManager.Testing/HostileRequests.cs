using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ResticManager.Testing;

/// <summary>
/// Malformed requests for every operation of an OpenAPI document: hostile path ids (unknown, dot
/// segments encoded, NUL, encoded slashes, very long), extreme and garbage query values (paging
/// limits, cursors), bad JSON, a wrong JSON type for every body field, a 10 MB body and odd content
/// types. Path ids a caller names (<paramref name="knownIds"/>: e.g. a real host) are used for the
/// variants that must reach the handler. Seeded, so a failing run can be replayed.
/// </summary>
public sealed class HostileRequests(JsonDocument openApi, Random random, Func<string, string, string> knownIds)
{
    static readonly string[] HostileIds =
    [
        "no-such-id", "%2e%2e", ".%2e", "%2e", "..%2f..%2fapi%2fhosts", "%00", "a%00b", "%2f", "%5c..%5c", new string('a', 5000),
        "%E2%80%AE", "*", "-1", "%20", "%ff%fe", "CON", "$(id)", "'%20OR%201=1--",
    ];

    static readonly string[] HostileQueryValues =
    [
        "-1", "0", "2147483648", "9223372036854775808", "1e9", "abc", string.Empty, "%00", "%ff%fe", "garbage!!cursor", "eyJub3QiOiJhIGN1cnNvciJ9",
        new string('z', 6_000), "9999-99-99T99:99:99Z", "0001-01-01T00:00:00Z", "..%2f..", "null", "[1]",
    ];

    public IEnumerable<HostileRequest> All()
    {
        foreach (var path in openApi.RootElement.GetProperty("paths").EnumerateObject())
        {
            foreach (var operation in path.Value.EnumerateObject())
            {
                if (operation.Name is not ("get" or "post" or "put" or "patch" or "delete"))
                {
                    continue;
                }

                foreach (var request in ForOperation(path.Name, new HttpMethod(operation.Name.ToUpperInvariant()), operation.Value))
                {
                    yield return request;
                }
            }
        }
    }

    IEnumerable<HostileRequest> ForOperation(string template, HttpMethod method, JsonElement operation)
    {
        var name = $"{method} {template}";
        var parameters = operation.TryGetProperty("parameters", out var p) ? p.EnumerateArray().ToList() : [];
        var pathParameters = parameters.Where(x => x.GetProperty("in").GetString() == "path").Select(x => x.GetProperty("name").GetString()!).ToList();
        var queryParameters = parameters.Where(x => x.GetProperty("in").GetString() == "query").Select(x => x.GetProperty("name").GetString()!).ToList();
        var schema = BodySchema(operation);
        var body = schema is null ? null : Plausible(schema.Value, 0) ?? new JsonObject();
        byte[]? PlausibleBody() => body is null ? null : Encoding.UTF8.GetBytes(body.ToJsonString());
        string Path(string? hostileParameter = null, string? hostileValue = null) =>
            pathParameters.Aggregate(template, (t, parameter) => t.Replace("{" + parameter + "}", parameter == hostileParameter ? hostileValue : knownIds(template, parameter), StringComparison.Ordinal));

        var contentType = schema is null ? null : "application/json";
        yield return new HostileRequest(name, "plain", method, Path(), PlausibleBody(), contentType);

        foreach (var parameter in pathParameters)
        {
            foreach (var id in HostileIds)
            {
                yield return new HostileRequest(name, $"path {parameter}={Short(id)}", method, Path(parameter, id), PlausibleBody(), contentType);
            }
        }

        foreach (var parameter in queryParameters.Union(["limit", "cursor"]))
        {
            foreach (var value in HostileQueryValues)
            {
                yield return new HostileRequest(name, $"query {parameter}={Short(value)}", method, $"{Path()}?{parameter}={value}", PlausibleBody(), contentType);
            }
        }

        if (schema is null)
        {
            if (method != HttpMethod.Get)
            {
                yield return new HostileRequest(name, "unexpected body", method, Path(), Encoding.UTF8.GetBytes("{\"x\":1}"), "application/json");
            }

            yield break;
        }

        foreach (var bad in new[] { "{", "[1,2", "nul", string.Empty, "{\"a\":}", "[]", "\"x\"", "123", "null", "true", "{\"a\":1,\"a\":2}" })
        {
            yield return new HostileRequest(name, $"body {Short(bad)}", method, Path(), Encoding.UTF8.GetBytes(bad), "application/json");
        }

        foreach (var field in Fields(schema.Value, body!, string.Empty))
        {
            foreach (var (label, value) in WrongValues())
            {
                var copy = body!.DeepClone().AsObject();
                Set(copy, field, value?.DeepClone());
                var json = copy.ToJsonString().Replace("\"@@deep@@\"", new string('[', 3000) + new string(']', 3000), StringComparison.Ordinal)
                    .Replace("@@surrogate@@", "\\ud800", StringComparison.Ordinal);
                yield return new HostileRequest(name, $"field {field}={label}", method, Path(), Encoding.UTF8.GetBytes(json), "application/json");
            }
        }

        yield return new HostileRequest(name, "10 MB body", method, Path(), Encoding.UTF8.GetBytes("{\"a\":\"" + new string('x', 10 * 1024 * 1024) + "\"}"), "application/json");
        var plausible = PlausibleBody()!;
        foreach (var type in new[] { "text/plain", "application/xml", "multipart/form-data; boundary=x", "application/x-www-form-urlencoded", "application/json; charset=utf-16", "application/merge-patch+json", "*/*", "application/json; charset=\"" })
        {
            yield return new HostileRequest(name, $"content-type {type}", method, Path(), plausible, type);
        }

        yield return new HostileRequest(name, "no content-type", method, Path(), plausible, null);
        yield return new HostileRequest(name, "invalid utf-8", method, Path(), [.. "{\"a\":\""u8.ToArray(), 0xC3, 0x28, 0xFF, .. "\"}"u8.ToArray()], "application/json");
        yield return new HostileRequest(name, "utf-16 body", method, Path(), Encoding.Unicode.GetBytes(Encoding.UTF8.GetString(plausible)), "application/json");
    }

    static string Short(string value) => value.Length > 24 ? value[..24] + "…" : value;

    IEnumerable<(string Label, JsonNode? Value)> WrongValues() =>
    [
        ("number", 123), ("negative", -1), ("huge-number", JsonNode.Parse("1e308")), ("big-integer", JsonNode.Parse("99999999999999999999")),
        ("string", "wrong type"), ("bool", true), ("null", null), ("array", new JsonArray(1, "a", null)), ("object", new JsonObject { ["x"] = 1 }),
        ("long-string", new string('x', random.Next(100_000, 300_000))), ("deep", "@@deep@@"), ("lone-surrogate", "@@surrogate@@"),
        ("traversal", "../../../etc/passwd"), ("nul", "a\0b"), ("far-date", "9999-12-31T23:59:59Z"),
    ];

    JsonElement? BodySchema(JsonElement operation) =>
        operation.TryGetProperty("requestBody", out var body) && body.TryGetProperty("content", out var content)
            && content.EnumerateObject().FirstOrDefault(c => c.Name.Contains("json", StringComparison.Ordinal)) is { Value.ValueKind: JsonValueKind.Object } json
            && json.Value.TryGetProperty("schema", out var schema)
            ? Resolve(schema)
            : null;

    JsonElement Resolve(JsonElement schema)
    {
        for (var i = 0; i < 10 && schema.ValueKind == JsonValueKind.Object && schema.TryGetProperty("$ref", out var reference); i++)
        {
            var name = reference.GetString()!.Split('/')[^1];
            schema = openApi.RootElement.GetProperty("components").GetProperty("schemas").GetProperty(name);
        }

        return schema;
    }

    static string Type(JsonElement schema)
    {
        if (!schema.TryGetProperty("type", out var type))
        {
            return schema.TryGetProperty("properties", out _) ? "object" : "any";
        }

        return type.ValueKind == JsonValueKind.Array
            ? type.EnumerateArray().Select(t => t.GetString()!).FirstOrDefault(t => t != "null") ?? "null"
            : type.GetString()!;
    }

    /// <summary>A body of the schema's shape with simple values (it need not pass validation: it is a base to break).</summary>
    JsonNode? Plausible(JsonElement schema, int depth)
    {
        schema = Resolve(schema);
        if (schema.TryGetProperty("enum", out var values) && values.GetArrayLength() > 0)
        {
            return JsonNode.Parse(values[0].GetRawText());
        }

        switch (Type(schema))
        {
            case "object" when depth < 4:
                var result = new JsonObject();
                if (schema.TryGetProperty("properties", out var properties))
                {
                    foreach (var property in properties.EnumerateObject())
                    {
                        result[property.Name] = Plausible(property.Value, depth + 1);
                    }
                }

                return result;
            case "array" when depth < 4:
                return schema.TryGetProperty("items", out var items) ? new JsonArray(Plausible(items, depth + 1)) : new JsonArray();
            case "integer":
                return 1;
            case "number":
                return 1.5;
            case "boolean":
                return true;
            case "string":
                return schema.TryGetProperty("format", out var format) && format.GetString() == "date-time" ? DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture) : "x";
            default:
                return null;
        }
    }

    /// <summary>Every field path of the body (dotted, into nested objects), the body itself as "" included.</summary>
    static IEnumerable<string> Fields(JsonElement schema, JsonNode body, string prefix)
    {
        if (body is not JsonObject obj)
        {
            yield break;
        }

        foreach (var (key, value) in obj)
        {
            var path = prefix.Length == 0 ? key : prefix + "." + key;
            yield return path;
            if (value is JsonObject)
            {
                foreach (var inner in Fields(schema, value, path))
                {
                    yield return inner;
                }
            }
        }
    }

    static void Set(JsonObject body, string path, JsonNode? value)
    {
        var parts = path.Split('.');
        var target = body;
        foreach (var part in parts[..^1])
        {
            target = target[part] as JsonObject ?? new JsonObject();
        }

        target[parts[^1]] = value;
    }
}
