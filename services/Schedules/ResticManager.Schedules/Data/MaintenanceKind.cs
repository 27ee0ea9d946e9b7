using Microsoft.EntityFrameworkCore;
using ResticManager.BuildingBlocks;
using ResticManager.ServiceDefaults;

namespace ResticManager.Schedules;

public enum MaintenanceKind
{
    Forget,
    Prune,
    Check,
}
