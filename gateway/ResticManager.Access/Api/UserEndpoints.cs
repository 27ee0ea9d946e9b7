using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using ResticManager.BuildingBlocks;
using ResticManager.ServiceDefaults;

namespace ResticManager.Access;

/// <summary>
/// Users, for fleet admins; and changing one's own password. Disabling or deleting a user and setting
/// its password end its sessions at once. The last enabled user holding <c>admin@*</c> cannot be
/// disabled, deleted or lose that grant (409): API tokens do not count, someone must still be able to
/// log in and manage access.
/// </summary>
public static class UserEndpoints
{
    public static IEndpointRouteBuilder MapUsers(this IEndpointRouteBuilder app)
    {
        var users = app.MapGroup("/api/users").WithTags("Access").RequireAuthorization(Policies.FleetAdmin);
        users.MapPost("/", Create).WithSummary("Create a user with grants, and a local password unless it logs in only through single sign-on");
        users.MapGet("/", List).WithSummary("Users, without their passwords");
        users.MapGet("/{userId}", Get).WithSummary("One user");
        users.MapPut("/{userId}", Update).WithSummary("Change a user's display name, grants or disabled flag; disabling ends its sessions");
        users.MapDelete("/{userId}", Delete).WithSummary("Delete a user and end its sessions");
        users.MapPost("/{userId}/password", ResetPassword).WithSummary("Set a user's password (admin reset); ends its sessions");
        app.MapPut("/api/me/password", ChangeOwnPassword).WithTags("Access").RequireAuthorization()
            .WithSummary("Change your own password (needs the current one); your other sessions end");
        return app;
    }

    static async Task<Results<Created<UserView>, ValidationProblem, ProblemHttpResult>> Create(
        CreateUserRequest? request, AccessDbContext db, Passwords passwords, TimeProvider clock, ILoggerFactory loggers, CancellationToken ct)
    {
        var errors = new FieldErrors()
            .Require(UserNames.IsValid(request?.Username), "username", "must be " + UserNames.Rule)
            .Require(request?.DisplayName is null || request.DisplayName.Length <= 200, "displayName", "must be at most 200 characters")
            .Require(request?.Password is null || Passwords.IsValid(request.Password), "password", Passwords.Rule);
        var grants = GrantRequests.Validate(request?.Grants, errors);
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        var normalized = UserNames.Normalize(request!.Username!);
        if (await db.Users.AnyAsync(u => u.NormalizedUsername == normalized, ct))
        {
            return Problems.Conflict("username", $"A user '{request.Username}' exists already.");
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var user = new User
        {
            Id = Ids.New(clock),
            Username = request.Username!,
            NormalizedUsername = normalized,
            DisplayName = string.IsNullOrWhiteSpace(request.DisplayName) ? null : request.DisplayName.Trim(),
            PasswordHash = request.Password is null ? null : passwords.Hash(request.Password),
            PasswordChangedAt = request.Password is null ? null : now,
            Grants = Grant.FormatList(grants),
            CreatedAt = now,
        };
        db.Users.Add(user);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            return Problems.Conflict("username", $"A user '{request.Username}' exists already.");
        }

        loggers.CreateLogger(typeof(UserEndpoints)).LogInformation("Created user {UserId} ({Username})", user.Id, user.Username);
        return TypedResults.Created($"/api/users/{user.Id}", ToView(user));
    }

    static async Task<Ok<Page<UserView>>> List(AccessDbContext db, string? cursor, int? limit, CancellationToken ct)
    {
        var take = Paging.ClampLimit(limit);
        var query = db.Users.AsNoTracking();
        if (!string.IsNullOrEmpty(cursor))
        {
            query = query.Where(u => string.Compare(u.Id, cursor) > 0);
        }

        var rows = await query.OrderBy(u => u.Id).Take(take + 1).ToListAsync(ct);
        return TypedResults.Ok(Paging.ToPage(rows, take, u => u.Id, ToView));
    }

    static async Task<Results<Ok<UserView>, ProblemHttpResult>> Get(string userId, AccessDbContext db, CancellationToken ct)
    {
        var user = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == userId, ct);
        return user is null ? Problems.NotFound($"No user '{userId}'.") : TypedResults.Ok(ToView(user));
    }

    static async Task<Results<Ok<UserView>, ValidationProblem, ProblemHttpResult>> Update(
        string userId, UpdateUserRequest? request, AccessDbContext db, UserAccounts accounts, CancellationToken ct)
    {
        var errors = new FieldErrors()
            .Require(request?.DisplayName is null || request.DisplayName.Length <= 200, "displayName", "must be at most 200 characters");
        var grants = request?.Grants is null ? null : GrantRequests.Validate(request.Grants, errors);
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        var user = await db.Users.FirstOrDefaultAsync(u => u.Id == userId, ct);
        if (user is null)
        {
            return Problems.NotFound($"No user '{userId}'.");
        }

        var newGrants = grants is null ? user.Grants : Grant.FormatList(grants);
        var disabled = request?.Disabled ?? user.Disabled;
        var changed = await accounts.ChangeKeepingAnAdminAsync(user, UserAccounts.IsEnabledAdmin(newGrants, disabled), async () =>
        {
            user.DisplayName = request?.DisplayName is null ? user.DisplayName : string.IsNullOrWhiteSpace(request.DisplayName) ? null : request.DisplayName.Trim();
            user.Grants = newGrants;
            user.Disabled = disabled;
            await db.SaveChangesAsync(ct);
            if (disabled)
            {
                await accounts.EndSessionsAsync(user.Id, null, ct);
            }
        }, ct);
        return changed ? TypedResults.Ok(ToView(user)) : LastAdmin();
    }

    static async Task<Results<NoContent, ProblemHttpResult>> Delete(string userId, AccessDbContext db, UserAccounts accounts, CancellationToken ct)
    {
        var user = await db.Users.FirstOrDefaultAsync(u => u.Id == userId, ct);
        if (user is null)
        {
            return Problems.NotFound($"No user '{userId}'.");
        }

        var deleted = await accounts.ChangeKeepingAnAdminAsync(user, staysAdmin: false, async () =>
        {
            await accounts.EndSessionsAsync(user.Id, null, ct);
            db.Users.Remove(user);
            await db.SaveChangesAsync(ct);
        }, ct);
        return deleted ? TypedResults.NoContent() : LastAdmin();
    }

    static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> ResetPassword(
        string userId, ResetPasswordRequest? request, AccessDbContext db, Passwords passwords, UserAccounts accounts, TimeProvider clock, CancellationToken ct)
    {
        if (!Passwords.IsValid(request?.Password))
        {
            return Problems.Invalid("password", Passwords.Rule);
        }

        var user = await db.Users.FirstOrDefaultAsync(u => u.Id == userId, ct);
        if (user is null)
        {
            return Problems.NotFound($"No user '{userId}'.");
        }

        SetPassword(user, passwords.Hash(request!.Password!), clock);
        await db.SaveChangesAsync(ct);
        await accounts.EndSessionsAsync(user.Id, null, ct);
        return TypedResults.NoContent();
    }

    static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> ChangeOwnPassword(
        ChangePasswordRequest? request, ClaimsPrincipal caller, HttpContext http, AccessDbContext db, Passwords passwords, PasswordLogin login,
        UserAccounts accounts, TimeProvider clock, CancellationToken ct)
    {
        var errors = new FieldErrors()
            .Require(!string.IsNullOrEmpty(request?.CurrentPassword) && request.CurrentPassword.Length <= Passwords.MaxLength, "currentPassword", "is required")
            .Require(Passwords.IsValid(request?.NewPassword), "newPassword", Passwords.Rule);
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        var id = caller.ToIdentity().Id;
        var user = caller.Identity?.AuthenticationType == SessionCookie.AuthenticationType ? await db.Users.FirstOrDefaultAsync(u => u.Id == id, ct) : null;
        if (user?.PasswordHash is null)
        {
            return TypedResults.Problem(title: "Forbidden", detail: "Only a user logged in with a local password can change it.", statusCode: StatusCodes.Status403Forbidden);
        }

        if (!await login.CheckCurrentPasswordAsync(user, request!.CurrentPassword!, ct))
        {
            return Problems.Invalid("currentPassword", "is not your current password");
        }

        SetPassword(user, passwords.Hash(request.NewPassword!), clock);
        await db.SaveChangesAsync(ct);
        var current = SessionCookie.Read(http.Request);
        await accounts.EndSessionsAsync(user.Id, current is null ? null : SecretTokens.Hash(current), ct);
        return TypedResults.NoContent();
    }

    static void SetPassword(User user, string hash, TimeProvider clock)
    {
        user.PasswordHash = hash;
        user.PasswordChangedAt = clock.GetUtcNow().UtcDateTime;
        user.FailedLogins = 0;
        user.LockedUntil = null;
    }

    static ProblemHttpResult LastAdmin() =>
        Problems.Conflict("The last enabled user holding admin@* cannot be disabled, deleted or lose that grant: give another user admin@* first.");

    static UserView ToView(User u) => new(
        u.Id, u.Username, u.DisplayName, Grant.ParseList(u.Grants), u.Disabled, u.PasswordHash is not null, u.ExternalIssuer,
        u.CreatedAt.AsUtc(), u.PasswordChangedAt.AsUtc(), u.LastLoginAt.AsUtc(), u.LockedUntil.AsUtc());
}
