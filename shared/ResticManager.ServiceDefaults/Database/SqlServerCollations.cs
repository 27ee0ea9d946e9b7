namespace ResticManager.ServiceDefaults;

public static class SqlServerCollations
{
    /// <summary>
    /// Compares as .NET's ordinal comparison and SQLite's default do, for columns whose case matters
    /// (labels, identity-provider subjects), where SQL Server's usual collation would ignore it.
    /// </summary>
    public const string Ordinal = "Latin1_General_100_BIN2";
}
