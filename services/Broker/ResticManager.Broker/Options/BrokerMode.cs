namespace ResticManager.Broker;

public enum BrokerMode
{
    Embedded,
    External,
}
