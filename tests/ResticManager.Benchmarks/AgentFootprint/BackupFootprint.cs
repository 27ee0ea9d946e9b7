/// <summary>
/// The agent's own memory over one backup (restic, its child, excluded) and the reports that follow it: the peak is
/// the kernel's (VmHWM after a reset just before the job) where it allows the reset, else the highest 100 ms sample.
/// </summary>
sealed record BackupFootprint(double PeakResidentMiB, string PeakSource, double SampledPeakMiB, double Seconds, double AgentCpuSeconds);
