using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using ResticManager.Contracts;
using ResticManager.Protocol;
using ResticManager.BuildingBlocks;
using ResticManager.ServiceDefaults;

namespace ResticManager.Schedules;

/// <summary>A group's backup health: <c>overdue</c> when its last success is older than its schedules allow.</summary>
public sealed record BackupStatus(bool Overdue, DateTimeOffset? OverdueSince, DateTimeOffset? LastSuccessAt, string? LastSuccessJobId, TimeSpan? ExpectedInterval)
{
    /// <summary>The status of a group no schedule covers yet.</summary>
    public static BackupStatus Unscheduled(SourceGroup group) => new(false, null, group.LastSuccessAt.AsUtc(), group.LastSuccessJobId, null);
}
