using System.Text.Json;
using System.Text.Json.Nodes;

namespace ResticManager.Jobs;

/// <summary>
/// restic's summaries use snake_case (<c>files_new</c>, <c>data_added</c>); the API is camelCase
/// throughout, so a job's summary is shown with its names converted (<c>filesNew</c>, <c>dataAdded</c>).
/// Every field is kept, so what a newer restic adds shows up without a change here.
/// </summary>
public static class SummaryNames
{
    public static JsonNode? ToCamelCase(JsonElement summary) => Convert(summary);

    static JsonNode? Convert(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => new JsonObject(element.EnumerateObject().Select(p => KeyValuePair.Create(CamelCase(p.Name), Convert(p.Value)))),
        JsonValueKind.Array => new JsonArray(element.EnumerateArray().Select(Convert).ToArray()),
        _ => JsonValue.Create(element),
    };

    static string CamelCase(string snake)
    {
        var parts = snake.Split('_', StringSplitOptions.RemoveEmptyEntries);
        return parts.Length == 0 ? snake : parts[0] + string.Concat(parts.Skip(1).Select(p => char.ToUpperInvariant(p[0]) + p[1..]));
    }
}
