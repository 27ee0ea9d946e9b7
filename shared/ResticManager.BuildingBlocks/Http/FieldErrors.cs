using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ResticManager.BuildingBlocks;

/// <summary>Collects field errors for one request; empty means valid.</summary>
public sealed class FieldErrors
{
    readonly Dictionary<string, string[]> errors = new(StringComparer.Ordinal);

    public bool Any => errors.Count > 0;

    public FieldErrors Require(bool condition, string field, string message)
    {
        if (!condition)
        {
            errors[field] = errors.TryGetValue(field, out var existing) ? [.. existing, message] : [message];
        }

        return this;
    }

    public ValidationProblem ToProblem() => Problems.Invalid(errors);
}
