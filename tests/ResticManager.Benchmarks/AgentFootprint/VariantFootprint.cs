/// <summary>Everything measured of one variant in one run.</summary>
sealed record VariantFootprint(
    AgentVariant Variant,
    IReadOnlyList<double> ConnectedMs,
    IReadOnlyList<double> OnlineMs,
    IReadOnlyList<MemorySample> IdleSamples,
    double IdleCpuSeconds,
    BackupFootprint? Backup)
{
    public double IdleResidentEndMiB => IdleSamples[^1].ResidentMiB;

    public double IdleResidentMaxMiB => IdleSamples.Max(s => s.ResidentMiB);

    public double IdleProportionalEndMiB => IdleSamples[^1].ProportionalMiB;

    public double IdleProportionalMaxMiB => IdleSamples.Max(s => s.ProportionalMiB);
}
