namespace ResticManager.Agent.Connection;

/// <summary>The body of <c>POST /api/agents/enroll</c>.</summary>
internal sealed record EnrollmentRequest(string Token, string Hostname, string Os, string Arch);
