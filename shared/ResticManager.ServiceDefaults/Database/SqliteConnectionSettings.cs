using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;
using SQLitePCL;

namespace ResticManager.ServiceDefaults;

/// <summary>
/// The settings of every SQLite connection (they belong to the connection, not to the file), applied once per
/// native connection: the pool hands the same one out again with them still set.
/// <list type="bullet">
/// <item><c>busy_timeout</c>: a writer that finds the file locked by another (the heartbeat batch, the outbox,
/// the API) waits inside SQLite, in steps of a few milliseconds, instead of failing at once and being retried by
/// the driver only every 150 ms.</item>
/// <item><c>synchronous=FULL</c>, stated rather than left to the library's build: with WAL every commit is on disk
/// before it returns. Agents' events are acknowledged after their commit, and the agent deletes what was
/// acknowledged, so a commit lost to a power cut would be an event lost for good; NORMAL would save an fsync per
/// commit at that price. Batching the high-rate messages is what makes commits few instead.</item>
/// </list>
/// Journal mode (WAL) is a property of the file, set once by <see cref="DatabaseInitializer{TContext}"/>.
/// </summary>
public sealed class SqliteConnectionSettings : DbConnectionInterceptor
{
    public const int BusyTimeoutMs = 30_000;

    const string Pragmas = "PRAGMA busy_timeout = 30000; PRAGMA synchronous = FULL;";

    readonly ConditionalWeakTable<sqlite3, object> applied = [];

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        if (NeedsSettings(connection))
        {
            using var command = connection.CreateCommand();
            command.CommandText = Pragmas;
            command.ExecuteNonQuery();
        }
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        if (NeedsSettings(connection))
        {
            await using var command = connection.CreateCommand();
            command.CommandText = Pragmas;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    bool NeedsSettings(DbConnection connection) =>
        connection is SqliteConnection { Handle: { } handle } && applied.TryAdd(handle, this);
}
