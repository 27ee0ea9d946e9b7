using ResticManager.Agent.Restic;
using ResticManager.Agent.Storage;
using ResticManager.Protocol;

namespace ResticManager.Agent.Queries;

/// <summary>
/// restic for a query, with the host's repository exactly as jobs get it, and restic's failures turned
/// into query errors: an unknown snapshot or path is NotFound (restic 0.14 says "no matching ID found",
/// for <c>ls</c> with exit code 0), anything else is a Restic error with restic's own first error line.
/// </summary>
public sealed class QueryRestic(ResticProcess restic, RepositoryStore repositories, AgentFiles files)
{
    const int MaxMessageLength = 500;

    /// <summary>
    /// The most stdout one query's restic may print: restic 0.14's find prints its whole answer as one
    /// line, and a folder is listed whole, so without a bound one query could take the host's memory
    /// (the host also runs backups). Past it restic is killed and the query answered BadRequest.
    /// </summary>
    public const long MaxOutputBytes = 64 * 1024 * 1024;

    /// <summary><see cref="MaxOutputBytes"/>, lowered by tests to reach it with a small repository.</summary>
    internal long OutputBudget { get; set; } = MaxOutputBytes;

    public RepositoryConfig Repository =>
        repositories.Current?.Repository ?? throw new QueryFailure(QueryErrorCode.NoRepository, "this host has no repository configured");

    /// <summary>The enrolled hostname, which every snapshot this host made carries.</summary>
    public string Hostname => files.LoadConfig().Hostname;

    /// <summary>
    /// restic's stdout lines; throws <see cref="QueryFailure"/> when restic failed, when its output went
    /// over <see cref="MaxOutputBytes"/> (BadRequest <paramref name="tooMuch"/>), and when <paramref name="ct"/> stopped it.
    /// </summary>
    public async Task<IReadOnlyList<string>> RunAsync(IReadOnlyList<string> arguments, RepositoryConfig repository, string tooMuch, CancellationToken ct) =>
        (await RunAsync(arguments, repository, new ResticReadOnlyRun(OutputBudget), tooMuch, ct)).Stdout;

    /// <summary>
    /// As <see cref="RunAsync(IReadOnlyList{string}, RepositoryConfig, string, CancellationToken)"/>, but each stdout line goes to
    /// <paramref name="line"/> as it comes, none is held; <paramref name="line"/> refusing one is too much output as well.
    /// </summary>
    public Task StreamAsync(IReadOnlyList<string> arguments, RepositoryConfig repository, Func<string, bool> line, string tooMuch, CancellationToken ct) =>
        RunAsync(arguments, repository, new ResticReadOnlyRun(OutputBudget, line), tooMuch, ct);

    async Task<ResticResult> RunAsync(IReadOnlyList<string> arguments, RepositoryConfig repository, ResticReadOnlyRun run, string tooMuch, CancellationToken ct)
    {
        var result = await restic.RunAsync(arguments, repository, null, false, run, ct);
        ct.ThrowIfCancellationRequested();
        if (run.Cut)
        {
            throw QueryFailure.BadRequest(tooMuch);
        }

        if (Failure(result.ExitCode, result.Stderr, result.StartError, repository) is { } failure)
        {
            throw failure;
        }

        return result;
    }

    public static QueryFailure? Failure(int? exitCode, IReadOnlyList<string> stderr, string? startError, RepositoryConfig repository)
    {
        if (startError is not null)
        {
            return new QueryFailure(QueryErrorCode.Restic, startError);
        }

        if (stderr.FirstOrDefault(l => l.Contains("no matching ID found", StringComparison.Ordinal)) is { } unknown)
        {
            return QueryFailure.NotFound("snapshot not found: " + Clean(unknown, repository));
        }

        if (exitCode == 0)
        {
            return null;
        }

        var line = FirstErrorLine(stderr) ?? $"restic exited with code {exitCode}";
        if (line.Contains("not found in snapshot", StringComparison.Ordinal))
        {
            return QueryFailure.NotFound(Clean(line, repository));
        }

        // Cases of bad input that restic itself detects: a glob it cannot parse, a path that is no file.
        return line.Contains("syntax error in pattern", StringComparison.Ordinal) || line.Contains("should be a file", StringComparison.Ordinal)
            ? QueryFailure.BadRequest(Clean(line, repository))
            : new QueryFailure(QueryErrorCode.Restic, Clean(line, repository));
    }

    /// <summary>The first "Fatal:" line, else the first line of text (a Go stack trace follows some errors).</summary>
    static string? FirstErrorLine(IReadOnlyList<string> stderr) =>
        stderr.FirstOrDefault(l => l.StartsWith("Fatal:", StringComparison.Ordinal))
        ?? stderr.FirstOrDefault(l => !string.IsNullOrWhiteSpace(l) && !l.TrimStart().StartsWith('{'));

    /// <summary>restic does not print the password, but a message must never carry it, whatever restic does.</summary>
    static string Clean(string line, RepositoryConfig repository)
    {
        var text = line.Trim();
        if (repository.Password.Length > 0)
        {
            text = text.Replace(repository.Password, "***", StringComparison.Ordinal);
        }

        return text.Length > MaxMessageLength ? text[..MaxMessageLength] : text;
    }
}
