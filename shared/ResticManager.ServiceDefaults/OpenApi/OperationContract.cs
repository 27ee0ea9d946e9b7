using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using ResticManager.BuildingBlocks;

namespace ResticManager.ServiceDefaults;

/// <summary>
/// What every operation shares beyond its own results, derived from its endpoint so no service has
/// to repeat it: the bearer requirement unless it allows anonymous callers (the fallback policy
/// guards everything else), 401 with it, 403 where a role policy applies, 404 where the path names
/// a resource, 400 where a body, query or header value can be refused, all as problem+json; and the
/// allowed values of <see cref="QueryEnum{TEnum}"/> query parameters.
/// </summary>
public sealed class OperationContract : IOpenApiOperationTransformer
{
    const string ProblemJson = "application/problem+json";

    public async Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var description = context.Description;
        var metadata = description.ActionDescriptor.EndpointMetadata;
        operation.Responses ??= [];

        if (description.ParameterDescriptions.Any(p => p.Source == BindingSource.Body || p.Source == BindingSource.Query || p.Source == BindingSource.Header))
        {
            await AddProblem(operation, context, StatusCodes.Status400BadRequest, typeof(HttpValidationProblemDetails), "The request names a field it got wrong and why.", cancellationToken);
        }

        if (!metadata.OfType<IAllowAnonymous>().Any())
        {
            operation.Security ??= [];
            operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerSecurityScheme.Name, context.Document)] = [] });
            await AddProblem(operation, context, StatusCodes.Status401Unauthorized, typeof(ProblemDetails), "No valid bearer token.", cancellationToken);
            if (metadata.OfType<IAuthorizeData>().Any(a => !string.IsNullOrEmpty(a.Policy) || !string.IsNullOrEmpty(a.Roles)))
            {
                await AddProblem(operation, context, StatusCodes.Status403Forbidden, typeof(ProblemDetails), "The caller's role does not allow this operation.", cancellationToken);
            }
        }

        if (description.RelativePath?.Contains('{', StringComparison.Ordinal) == true)
        {
            await AddProblem(operation, context, StatusCodes.Status404NotFound, typeof(ProblemDetails), "What the path names does not exist.", cancellationToken);
        }

        DescribeQueryEnums(operation, context);
    }

    /// <summary>Adds the response unless the endpoint already declares that status itself.</summary>
    static async Task AddProblem(OpenApiOperation operation, OpenApiOperationTransformerContext context, int status, Type problemType, string text, CancellationToken cancellationToken)
    {
        var key = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (operation.Responses!.ContainsKey(key))
        {
            return;
        }

        // Registered once as a component and referenced, so the document names one problem shape.
        var schemaId = problemType.Name;
        if (context.Document?.Components?.Schemas?.ContainsKey(schemaId) != true)
        {
            context.Document?.AddComponent<IOpenApiSchema>(schemaId, await context.GetOrCreateSchemaAsync(problemType, cancellationToken: cancellationToken));
        }

        operation.Responses[key] = new OpenApiResponse
        {
            Description = text,
            Content = new Dictionary<string, OpenApiMediaType> { [ProblemJson] = new() { Schema = new OpenApiSchemaReference(schemaId, context.Document) } },
        };
    }

    static void DescribeQueryEnums(OpenApiOperation operation, OpenApiOperationTransformerContext context)
    {
        foreach (var parameter in context.Description.ParameterDescriptions)
        {
            var type = parameter.ParameterDescriptor?.ParameterType is { } declared ? Nullable.GetUnderlyingType(declared) ?? declared : null;
            if (type is not { IsGenericType: true } || type.GetGenericTypeDefinition() != typeof(QueryEnum<>)
                || operation.Parameters?.FirstOrDefault(p => p.Name == parameter.Name)?.Schema is not OpenApiSchema schema)
            {
                continue;
            }

            schema.Type = JsonSchemaType.String;
            schema.Enum = ApiJson.EnumNames(type.GetGenericArguments()[0]).Select(name => (JsonNode)JsonValue.Create(name)).ToList();
        }
    }
}
