namespace ResticManager.Jobs;

/// <summary>
/// The first event of a fleet stream: this process's epoch, and whether the stream resumed after the
/// client's <c>Last-Event-ID</c> (if not, the client may have missed events and refetches what it shows).
/// </summary>
public sealed record StreamHello(string Epoch, bool Resumed);
