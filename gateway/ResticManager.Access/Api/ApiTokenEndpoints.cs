using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using ResticManager.BuildingBlocks;
using ResticManager.ServiceDefaults;

namespace ResticManager.Access;

/// <summary>API tokens for REST integrations, each with a role; the token is shown once and stored hashed.</summary>
public static class ApiTokenEndpoints
{
    public static IEndpointRouteBuilder MapApiTokens(this IEndpointRouteBuilder app)
    {
        var tokens = app.MapGroup("/api/api-tokens").WithTags("Access").RequireAuthorization(Policies.FleetAdmin);
        tokens.MapPost("/", Create).WithSummary("Create an API token with grants ({role, scope}) or one role at scope *; the token is shown only in this answer");
        tokens.MapGet("/", List).WithSummary("API tokens, without their secrets");
        tokens.MapDelete("/{id}", Revoke).WithSummary("Revoke an API token at once");
        return app;
    }

    static async Task<Results<Created<ApiTokenCreated>, ValidationProblem>> Create(CreateApiTokenRequest? request, AccessDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var errors = new FieldErrors()
            .Require(!string.IsNullOrWhiteSpace(request?.Name) && request.Name.Length <= 100, "name", "is required, at most 100 characters")
            .Require(request?.Role is null || request.Grants is null, "role", "give either role (for scope '*') or grants, not both");
        var grants = request?.Role is not null && request.Grants is null
            ? GrantRequests.Validate([new GrantRequest(request.Role, Grant.AllHosts)], errors, "role")
            : GrantRequests.Validate(request?.Grants, errors);
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        var token = SecretTokens.Generate("rmt_");
        var row = ApiToken.Issue(Ids.New(clock), request!.Name!.Trim(), token, grants, clock.GetUtcNow().UtcDateTime);
        db.ApiTokens.Add(row);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/api-tokens/{row.Id}", new ApiTokenCreated(row.Id, row.Name, grants, token));
    }

    static async Task<Ok<Page<ApiTokenView>>> List(AccessDbContext db, CancellationToken ct)
    {
        var rows = await db.ApiTokens.AsNoTracking().OrderBy(t => t.Id).ToListAsync(ct);
        return TypedResults.Ok(new Page<ApiTokenView>(rows.Select(t => new ApiTokenView(t.Id, t.Name, Grant.ParseList(t.Grants), t.CreatedAt.AsUtc(), t.RevokedAt.AsUtc())).ToList(), null));
    }

    static async Task<Results<NoContent, ProblemHttpResult>> Revoke(string id, AccessDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var revoked = await db.ApiTokens.Where(t => t.Id == id && t.RevokedAt == null).ExecuteUpdateAsync(s => s.SetProperty(t => t.RevokedAt, now), ct);
        return revoked == 1 || await db.ApiTokens.AnyAsync(t => t.Id == id, ct) ? TypedResults.NoContent() : Problems.NotFound($"No API token '{id}'.");
    }
}
