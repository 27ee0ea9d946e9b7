namespace ResticManager.Testing;

/// <summary>What <see cref="HttpCapture"/> answers: a status, a body and extra headers (e.g. Retry-After).</summary>
public sealed record CannedResponse(int Status, string Body = "", IReadOnlyDictionary<string, string>? Headers = null)
{
    public static CannedResponse Ok { get; } = new(200, "ok");
}
