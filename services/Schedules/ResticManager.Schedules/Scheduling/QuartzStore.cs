namespace ResticManager.Schedules;

/// <summary>Where Quartz keeps its triggers (<c>Schedules:Store</c>).</summary>
public enum QuartzStore
{
    /// <summary>Quartz's ADO store in the service's database, clustered on SQL Server: triggers and misfires survive a restart.</summary>
    Database,

    /// <summary>In memory, for tests only: a restart forgets every trigger until they are recreated.</summary>
    Memory,
}
