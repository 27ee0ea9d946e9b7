namespace ResticManager.UiTests;

/// <summary>The page tests share one fleet: a server process and two real agents, started once.</summary>
[CollectionDefinition(Name)]
public sealed class UiFleetCollection : ICollectionFixture<UiFleet>
{
    public const string Name = "ui fleet";
}
