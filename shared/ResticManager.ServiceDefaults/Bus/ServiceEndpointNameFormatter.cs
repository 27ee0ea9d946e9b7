using MassTransit;

namespace ResticManager.ServiceDefaults;

/// <summary>
/// Queue names are the consumer's kebab-case name prefixed with its service (the last segment of its
/// namespace): <c>jobs-host-revoked</c>, <c>broker-host-revoked</c>. Without the prefix two services with
/// consumers of the same name would share one queue and each take only some of its messages.
/// </summary>
public sealed class ServiceEndpointNameFormatter() : KebabCaseEndpointNameFormatter(includeNamespace: false)
{
    public override string Consumer<T>() => $"{ServiceOf(typeof(T))}-{base.Consumer<T>()}";

    static string ServiceOf(Type consumer) =>
        (consumer.Namespace ?? "service").Split('.')[^1].ToLowerInvariant();
}
