using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using ResticManager.Contracts;

namespace ResticManager.BuildingBlocks;

public sealed record JobCreated(string Id);
