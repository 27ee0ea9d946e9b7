/// <summary>One reading of an agent's memory, <paramref name="Seconds"/> into the idle phase.</summary>
sealed record MemorySample(double Seconds, double ResidentMiB, double ProportionalMiB);
