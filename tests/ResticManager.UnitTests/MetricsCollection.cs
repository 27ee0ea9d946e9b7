namespace ResticManager.UnitTests;

/// <summary>
/// OpenTelemetry listens to meters by name, process-wide: an in-process server's <c>/metrics</c> also shows what
/// every other in-process server of this test run records (a job failing in another test, another database's host
/// count). Tests that check exact values therefore run alone, after the parallel ones.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MetricsCollection
{
    public const string Name = "Metrics, alone";
}
