using System.Text.Json;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace ResticManager.Notifications;

/// <summary>
/// A channel's <c>settings</c> is an object of any JSON values. The generator drops JsonElement's empty
/// schema from <c>additionalProperties</c>, which then reads as "an object with no properties at all"
/// (the web UI's types would forbid every setting); an empty schema there says "any value".
/// </summary>
sealed class AnyJsonValuesSchema : IOpenApiSchemaTransformer
{
    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        if (context.JsonTypeInfo.Type.IsAssignableTo(typeof(IReadOnlyDictionary<string, JsonElement>)) && schema.AdditionalProperties is null)
        {
            schema.AdditionalProperties = new OpenApiSchema();
        }

        return Task.CompletedTask;
    }
}
