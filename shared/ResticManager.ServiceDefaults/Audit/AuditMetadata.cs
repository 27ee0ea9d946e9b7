namespace ResticManager.ServiceDefaults;

/// <summary>
/// Endpoint metadata for the audit middleware: <see cref="Recorded"/> true records a read (a browse, a
/// download), false leaves a request to the process that really answers it (the gateway's proxy routes).
/// Set with <see cref="AuditConventions.Audited{TBuilder}"/> and <see cref="AuditConventions.AuditedElsewhere{TBuilder}"/>.
/// </summary>
public sealed record AuditMetadata(bool Recorded);
