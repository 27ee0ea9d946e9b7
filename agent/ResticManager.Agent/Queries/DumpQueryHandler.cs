using System.ComponentModel;
using System.Diagnostics;
using Microsoft.Extensions.Options;
using ResticManager.Agent.Processes;
using ResticManager.Agent.Restic;
using ResticManager.Protocol;

namespace ResticManager.Agent.Queries;

/// <summary>
/// Streams <c>restic dump</c> to the requester in chunks, never more than it granted: with no credit
/// left the agent stops reading restic's output, so restic blocks on the full pipe and nothing piles up
/// in memory (one chunk read ahead at most). A cancel, the agent's stop or the requester's silence for
/// <see cref="AgentOptions.QueryIdleTimeoutSeconds"/> kills restic's process tree: it reads without a
/// lock, so nothing is left behind in the repository.
/// </summary>
public sealed class DumpQueryHandler(QueryRestic restic, ResticProcess resticProcess, QueryReplies replies, IOptions<AgentOptions> options)
{
    const int MaxStderrLines = 200;

    public async Task StreamAsync(DumpQuery query, QueryReplyAddress to, DumpCredits credits, CancellationToken ct)
    {
        var snapshotId = SnapshotPaths.SnapshotId(query.SnapshotId, "snapshotId");
        var path = SnapshotPaths.Normalize(query.Path, "path");
        if (query.Window < 1)
        {
            throw QueryFailure.BadRequest("window must be at least 1");
        }

        if (!Enum.IsDefined(query.Format))
        {
            throw QueryFailure.BadRequest("format must be raw, tar or zip");
        }

        var repository = restic.Repository;
        var settings = options.Value;
        var idle = TimeSpan.FromSeconds(settings.QueryIdleTimeoutSeconds);
        using var process = new Process
        {
            StartInfo = ResticInvocation.StartInfo(settings.ResticPath, QueryArguments.Dump(snapshotId, path, query.Format), repository, resticProcess.CacheDirectory),
        };
        try
        {
            process.Start();
        }
        catch (Win32Exception ex)
        {
            throw new QueryFailure(QueryErrorCode.Restic, $"restic cannot be started at '{settings.ResticPath}': {ex.Message}");
        }

        try
        {
            process.StandardInput.Close();
            var stderr = ReadStderrAsync(process);
            using (ct.Register(() => ProcessTree.Kill(process)))
            {
                var chunks = await SendChunksAsync(process.StandardOutput.BaseStream, to, credits, idle, ct);
                await process.WaitForExitAsync(ct);
                var errors = await stderr;
                ct.ThrowIfCancellationRequested();
                if (QueryRestic.Failure(process.ExitCode, errors, null, repository) is { } failure)
                {
                    throw failure;
                }

                await replies.EndAsync(to, chunks, ct);
            }
        }
        finally
        {
            // Whatever ended the dump (a cancel, a lost connection, a failure), no restic outlives it.
            if (!process.HasExited)
            {
                ProcessTree.Kill(process);
                await process.WaitForExitAsync(CancellationToken.None);
            }
        }
    }

    /// <returns>The number of chunks sent.</returns>
    async Task<int> SendChunksAsync(Stream stdout, QueryReplyAddress to, DumpCredits credits, TimeSpan idle, CancellationToken ct)
    {
        var buffer = new byte[AgentQueries.ChunkBytes];
        var sent = 0;
        while (true)
        {
            var filled = await FillAsync(stdout, buffer, ct);
            if (filled == 0)
            {
                return sent;
            }

            if (!await credits.TakeAsync(idle, ct))
            {
                throw new QueryFailure(QueryErrorCode.Cancelled, $"no credit came within {idle.TotalSeconds:F0} s; the dump was stopped");
            }

            if (!await replies.ChunkAsync(to, sent, buffer.AsMemory(0, filled), ct))
            {
                // No connection: the requester cannot get the rest in order, so the dump ends here.
                throw new OperationCanceledException("the connection to the broker was lost during a dump");
            }

            sent++;
        }
    }

    /// <summary>Reads until the buffer is full or restic's output ends, so chunks are full-sized but the last.</summary>
    static async Task<int> FillAsync(Stream stdout, byte[] buffer, CancellationToken ct)
    {
        var filled = 0;
        while (filled < buffer.Length)
        {
            var read = await stdout.ReadAsync(buffer.AsMemory(filled), ct);
            if (read == 0)
            {
                break;
            }

            filled += read;
        }

        return filled;
    }

    static async Task<IReadOnlyList<string>> ReadStderrAsync(Process process)
    {
        var lines = new List<string>();
        while (await process.StandardError.ReadLineAsync(CancellationToken.None) is { } line)
        {
            if (lines.Count < MaxStderrLines)
            {
                lines.Add(line);
            }
        }

        return lines;
    }
}
