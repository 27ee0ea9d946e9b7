namespace ResticManager.Testing;

/// <summary>One request <see cref="HttpCapture"/> received: method, path with query, headers and body.</summary>
public sealed record CapturedRequest(string Method, string PathAndQuery, IReadOnlyDictionary<string, string> Headers, string Body)
{
    /// <summary>A header's value (names are case-insensitive), or null.</summary>
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
}
