namespace ResticManager.Agent.Restic;

/// <summary>
/// One run of a restic that only reads, with <c>--no-lock</c> (a query's). It holds no lock, so a stop
/// kills it at once and runs no <c>restic unlock</c> after it (an unlock against a slow backend would keep
/// the caller waiting, for nothing). Its stdout is bounded: past <paramref name="maxStdoutBytes"/>, or
/// when <paramref name="line"/> refuses a line, restic is killed and <see cref="Cut"/> says so. Given
/// <paramref name="line"/>, each stdout line goes there instead of being held in the result.
/// </summary>
public sealed class ResticReadOnlyRun(long maxStdoutBytes, Func<string, bool>? line = null)
{
    public long MaxStdoutBytes => maxStdoutBytes;

    /// <summary>Takes a line; false stops restic (the caller has more than it can use).</summary>
    public Func<string, bool>? Line => line;

    /// <summary>Whether restic was killed because its output went over the bound or was refused.</summary>
    public bool Cut { get; internal set; }
}
