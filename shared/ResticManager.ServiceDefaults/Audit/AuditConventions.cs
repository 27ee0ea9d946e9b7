using Microsoft.AspNetCore.Builder;

namespace ResticManager.ServiceDefaults;

public static class AuditConventions
{
    /// <summary>
    /// Records this endpoint's requests in the audit log although they change nothing: reads of backed-up
    /// data (a snapshot's tree, a file search, a diff, a download) are what an audit must show.
    /// </summary>
    public static TBuilder Audited<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder => builder.WithMetadata(new AuditMetadata(true));

    /// <summary>Records nothing here: the process this endpoint forwards to records the request itself, once.</summary>
    public static TBuilder AuditedElsewhere<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder => builder.WithMetadata(new AuditMetadata(false));
}
