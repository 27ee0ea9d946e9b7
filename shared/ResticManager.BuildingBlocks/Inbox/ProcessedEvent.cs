using MassTransit;
using Microsoft.EntityFrameworkCore;
using ResticManager.Contracts;
using ResticManager.Protocol;

namespace ResticManager.BuildingBlocks;

/// <summary>An agent event a service has applied; the row is written in the same transaction as the effect.</summary>
public sealed class ProcessedEvent
{
    public required string AgentId { get; init; }
    public required string EventId { get; init; }
    public DateTime ProcessedAt { get; init; }
}
