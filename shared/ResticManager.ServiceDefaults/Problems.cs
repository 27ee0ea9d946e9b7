using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ResticManager.ServiceDefaults;

/// <summary>problem+json results with the titles used across the API.</summary>
public static class Problems
{
    public static ProblemHttpResult NotFound(string what) =>
        TypedResults.Problem(title: "Not found", detail: what, statusCode: StatusCodes.Status404NotFound);

    public static ProblemHttpResult Conflict(string detail) =>
        TypedResults.Problem(title: "Conflict", detail: detail, statusCode: StatusCodes.Status409Conflict);

    public static ProblemHttpResult Unauthorized(string detail) =>
        TypedResults.Problem(title: "Unauthorized", detail: detail, statusCode: StatusCodes.Status401Unauthorized);

    public static ValidationProblem Invalid(string field, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] });

    public static ValidationProblem Invalid(IDictionary<string, string[]> errors) => TypedResults.ValidationProblem(errors);
}

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

/// <summary>Input rules shared by the services' validators.</summary>
public static class InputRules
{
    /// <summary>Null, or at most 1000 non-empty entries of at most <paramref name="maxLength"/> characters without NUL.</summary>
    public static bool ValidList(IReadOnlyList<string>? values, int maxLength) =>
        values is null || (values.Count <= 1000 && values.All(v => !string.IsNullOrWhiteSpace(v) && v.Length <= maxLength && !v.Contains('\0', StringComparison.Ordinal)));
}
