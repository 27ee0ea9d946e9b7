using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ResticManager.BuildingBlocks;
using ResticManager.ServiceDefaults;

namespace ResticManager.Inventory;

public static class EnrollmentEndpoints
{
    const int MaxTtlMinutes = 7 * 24 * 60;

    public static IEndpointRouteBuilder MapEnrollment(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/enrollment-tokens", CreateToken)
            .RequireAuthorization(Policies.FleetOperator)
            .WithTags("Enrollment")
            .WithSummary("Create a one-time enrollment token");

        // Authenticated by the enrollment token in the body, not by an operator credential.
        app.MapPost("/api/agents/enroll", Enroll)
            .AllowAnonymous()
            .WithTags("Enrollment")
            .WithSummary("Enroll an agent with a one-time token; returns its MQTT credentials once");
        return app;
    }

    static async Task<Results<Created<EnrollmentTokenCreated>, ValidationProblem>> CreateToken(
        CreateEnrollmentTokenRequest? request, ClaimsPrincipal user, InventoryDbContext db, TimeProvider clock, IOptions<InventoryOptions> options, CancellationToken ct)
    {
        if (request?.TtlMinutes is { } ttl && (ttl < 1 || ttl > MaxTtlMinutes))
        {
            return Problems.Invalid("ttlMinutes", $"must be between 1 and {MaxTtlMinutes}");
        }

        var now = clock.GetUtcNow();
        var expiresAt = now + (request?.TtlMinutes is { } minutes ? TimeSpan.FromMinutes(minutes) : options.Value.EnrollmentTokenLifetime);
        var token = SecretTokens.Generate("rme_");
        db.EnrollmentTokens.Add(new EnrollmentToken
        {
            Id = Ids.New(clock),
            TokenHash = SecretTokens.Hash(token),
            CreatedAt = now.UtcDateTime,
            ExpiresAt = expiresAt.UtcDateTime,
            CreatedBy = user.FindFirstValue(ClaimTypes.NameIdentifier),
        });
        await db.SaveChangesAsync(ct);
        return TypedResults.Created((string?)null, new EnrollmentTokenCreated(token, expiresAt));
    }

    static async Task<Results<Ok<EnrollResponse>, ValidationProblem, ProblemHttpResult>> Enroll(
        EnrollRequest? request, HttpContext http, InventoryDbContext db, TimeProvider clock, IOptions<InventoryOptions> options,
        IConfiguration configuration, ILoggerFactory loggers, CancellationToken ct)
    {
        var errors = new FieldErrors()
            .Require(request is not null, "body", "a JSON body {token, hostname, os, arch} is required")
            .Require(!string.IsNullOrWhiteSpace(request?.Token), "token", "is required")
            .Require(InputRules.ValidHostname(request?.Hostname), "hostname", "is required: a host name of letters, digits, '-', '_' and '.', labels of at most 63 characters, at most 253 in all")
            .Require(request?.Os is null || request.Os.Length <= 64, "os", "at most 64 characters")
            .Require(request?.Arch is null || request.Arch.Length <= 64, "arch", "at most 64 characters");
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        var agentId = Ids.New(clock);
        var secret = SecretTokens.Generate("rma_");
        var outcome = await HostEnrollment.EnrollAsync(db, request!.Token!, new Host
        {
            Id = agentId,
            // As sent, not trimmed: the agent passes its own copy to restic as --host, and the two must agree.
            Hostname = request.Hostname!,
            Os = request.Os ?? string.Empty,
            Arch = request.Arch ?? string.Empty,
            Status = HostStatus.Pending,
            EnrolledAt = clock.GetUtcNow().UtcDateTime,
            CredentialHash = SecretTokens.Hash(secret),
            BrokerPasswordHash = MosquittoFiles.HashPassword(secret),
        }, ct);
        var logger = loggers.CreateLogger("ResticManager.Inventory.Enrollment");
        switch (outcome)
        {
            case EnrollmentOutcome.TokenInvalid:
                // Unknown, used and expired tokens get the same answer: nothing to learn by probing.
                logger.LogWarning("Enrollment refused for {Hostname}: token unknown, used or expired", request.Hostname);
                return Problems.Unauthorized("The enrollment token is not valid.");
            case EnrollmentOutcome.HostnameTaken:
                logger.LogWarning("Enrollment refused for {Hostname}: another host that is not revoked has that hostname", request.Hostname);
                return Problems.Conflict("hostname", $"Another host is enrolled as '{request.Hostname}': restic tells hosts apart by hostname, so revoke that host first or enroll under another name.");
        }

        return TypedResults.Ok(new EnrollResponse(agentId, MqttUrl(http, configuration, options.Value), agentId, secret));
    }

    static string MqttUrl(HttpContext http, IConfiguration configuration, InventoryOptions options)
    {
        if (!string.IsNullOrWhiteSpace(options.MqttPublicUrl))
        {
            return options.MqttPublicUrl;
        }

        var port = configuration.GetValue("Mqtt:Port", 1883);
        return $"mqtt://{http.Request.Host.Host}:{port}";
    }
}
