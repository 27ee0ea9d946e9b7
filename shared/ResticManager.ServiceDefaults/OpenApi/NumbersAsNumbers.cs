using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace ResticManager.ServiceDefaults;

/// <summary>
/// The web JSON defaults also read numbers written as strings, so the generated schema says
/// "integer or string with a digits pattern". Clients should send and expect numbers: the document
/// says so, and the web UI's generated types are plain numbers.
/// </summary>
public sealed class NumbersAsNumbers : IOpenApiSchemaTransformer
{
    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        if (schema.Type is { } type && type.HasFlag(JsonSchemaType.String)
            && (type.HasFlag(JsonSchemaType.Integer) || type.HasFlag(JsonSchemaType.Number)))
        {
            schema.Type = type & ~JsonSchemaType.String;
            schema.Pattern = null;
        }

        return Task.CompletedTask;
    }
}
