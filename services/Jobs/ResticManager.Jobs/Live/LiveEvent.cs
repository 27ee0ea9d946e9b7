using System.Collections.Concurrent;
using System.Threading.Channels;

namespace ResticManager.Jobs;

/// <summary>One event for browsers: <c>state</c>, <c>progress</c> or <c>log</c> (whose id is the line number).</summary>
public sealed record LiveEvent(string Type, string? Id, object Data, bool Final = false);
