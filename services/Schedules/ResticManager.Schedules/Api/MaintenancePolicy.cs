using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using ResticManager.BuildingBlocks;
using ResticManager.ServiceDefaults;

namespace ResticManager.Schedules;

/// <summary><c>{forget, prune, check}</c>; a missing entry means no such maintenance for the host.</summary>
public sealed record MaintenancePolicy(MaintenanceCadence? Forget, MaintenanceCadence? Prune, MaintenanceCadence? Check);
