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

    public RepositoryConfig Repository =>
        repositories.Current?.Repository ?? throw new QueryFailure(QueryErrorCode.NoRepository, "this host has no repository configured");

    /// <summary>The enrolled hostname, which every snapshot this host made carries.</summary>
    public string Hostname => files.LoadConfig().Hostname;

    /// <summary>restic's stdout lines; throws <see cref="QueryFailure"/> when restic failed, and when <paramref name="ct"/> stopped it.</summary>
    public async Task<IReadOnlyList<string>> RunAsync(IReadOnlyList<string> arguments, RepositoryConfig repository, CancellationToken ct)
    {
        var result = await restic.RunAsync(arguments, repository, null, false, ct);
        ct.ThrowIfCancellationRequested();
        if (Failure(result.ExitCode, result.Stderr, result.StartError, repository) is { } failure)
        {
            throw failure;
        }

        return result.Stdout;
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
