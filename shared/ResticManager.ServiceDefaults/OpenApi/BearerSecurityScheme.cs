using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace ResticManager.ServiceDefaults;

/// <summary>Declares the one credential the API takes; operations refer to it by <see cref="Name"/>.</summary>
public sealed class BearerSecurityScheme : IOpenApiDocumentTransformer
{
    public const string Name = OperatorAuthentication.Scheme;

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.AddComponent<IOpenApiSecurityScheme>(Name, new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            Description = "An API token (rmt_…) sent as 'Authorization: Bearer <token>'.",
        });
        return Task.CompletedTask;
    }
}
