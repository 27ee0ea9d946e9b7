using Microsoft.Extensions.Logging;

namespace ResticManager.Jobs;

/// <summary>
/// A batch holds reports of many agents: one report that cannot be applied must not hold back the
/// others (they would not be acknowledged, so their agents would send them again into the next batch,
/// with the same report). When the whole batch fails, its reports are applied one at a time; those that
/// go through are committed and acknowledged, and the failure of the rest is thrown for the retry policy.
/// </summary>
public static class ReportBatches
{
    public static async Task ApplyAsync<TReport>(IReadOnlyList<TReport> batch, Func<IReadOnlyList<TReport>, Task> apply, ILogger logger, CancellationToken ct)
    {
        try
        {
            await apply(batch);
            return;
        }
        catch (Exception ex) when (batch.Count > 1 && !ct.IsCancellationRequested)
        {
            logger.LogWarning("A batch of {Count} {Report} reports failed ({Error}); applying them one at a time", batch.Count, typeof(TReport).Name, ex.GetBaseException().Message);
        }

        List<Exception> failures = [];
        foreach (var report in batch)
        {
            try
            {
                await apply([report]);
            }
            catch (Exception ex) when (!ct.IsCancellationRequested)
            {
                failures.Add(ex);
            }
        }

        if (failures.Count > 0)
        {
            throw failures.Count == 1 ? failures[0] : new AggregateException(failures);
        }
    }
}
