using System.Security.Claims;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using ResticManager.Contracts;
using ResticManager.Protocol;

namespace ResticManager.Jobs;

public sealed record CreateJobRequest(
    JobKind? Kind, IReadOnlyList<string>? Paths, IReadOnlyList<string>? Excludes, IReadOnlyList<string>? Tags,
    RetentionPolicy? Retention, JobOptions? Options, int? TimeoutSeconds);
