using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace ResticManager.ServiceDefaults;

/// <summary>
/// The last problem writer: an error is problem+json whatever the request's Accept header says. The framework's
/// writer declines a request that accepts neither JSON nor */* (<c>Accept: text/html</c> alone), which left the
/// status code pages' plain text, or a 500 where a problem had to be written (the 401 of a challenge). Only its
/// Accept check is skipped: the writing is the framework writer's own, so the problem has the same fields
/// (<c>type</c>, <c>title</c>, <c>status</c>, <c>traceId</c>, the customizations) whatever was asked for.
/// </summary>
public sealed class AnyAcceptProblemWriter(IServiceProvider services) : IProblemDetailsWriter
{
    // Resolved on first use: it is a writer beside this one, so it cannot be a constructor dependency.
    readonly Lazy<IProblemDetailsWriter> framework = new(() => services.GetServices<IProblemDetailsWriter>().FirstOrDefault(w => w is not AnyAcceptProblemWriter)
        ?? throw new InvalidOperationException("AddProblemDetails() must register the framework's writer before this one"));

    public bool CanWrite(ProblemDetailsContext context) => true;

    public ValueTask WriteAsync(ProblemDetailsContext context) => framework.Value.WriteAsync(context);
}
