using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace EpiGrid.WebHost.Http;

/// <summary>
/// The problems an endpoint answers, as the OpenAPI document tells client generators: RFC 9457 problem+json, a 400
/// with <c>errors</c> keyed by the field at fault. Handlers return <see cref="ProblemHttpResult"/>, which describes
/// nothing by itself, so each endpoint names its own refusals (<c>.ProducesProblems(400, 403, 404)</c>) and the
/// groups add what the pipeline answers before any handler runs (<see cref="ProducesPipelineProblems{TBuilder}"/>).
/// </summary>
public static class ProblemResponses
{
    public const string ContentType = "application/problem+json";

    public static TBuilder ProducesProblems<TBuilder>(this TBuilder builder, params int[] statuses) where TBuilder : IEndpointConventionBuilder
    {
        builder.Add(endpoint => Document(endpoint, statuses));
        return builder;
    }

    /// <summary>
    /// 401 where a token is required, 413 where a body is read (the body limit applies to every request, see
    /// <see cref="RequestLimits"/>), 429 (rate limits). Applied last, once the endpoint's own conventions (anonymous
    /// access, the body it accepts) are known.
    /// </summary>
    public static TBuilder ProducesPipelineProblems<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder
    {
        builder.Finally(endpoint =>
        {
            var anonymous = endpoint.Metadata.OfType<IAllowAnonymous>().Any();
            if (!anonymous && endpoint.Metadata.OfType<IAuthorizeData>().Any()) Document(endpoint, StatusCodes.Status401Unauthorized);
            if (endpoint.Metadata.OfType<IAcceptsMetadata>().Any()) Document(endpoint, StatusCodes.Status413PayloadTooLarge);
            Document(endpoint, StatusCodes.Status429TooManyRequests);
        });
        return builder;
    }

    /// <summary>
    /// Problems carry members beyond the standard ones (traceId, limitBytes...), which the strict JSON options
    /// (unknown members refused, <see cref="JsonBody"/>) would describe as forbidden: they are allowed in the document.
    /// </summary>
    public sealed class Schema : IOpenApiSchemaTransformer
    {
        public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
        {
            if (context.JsonTypeInfo.Type.IsAssignableTo(typeof(ProblemDetails))) schema.AdditionalPropertiesAllowed = true;
            return Task.CompletedTask;
        }
    }

    static void Document(EndpointBuilder endpoint, params int[] statuses)
    {
        foreach (var status in statuses)
        {
            if (endpoint.Metadata.OfType<IProducesResponseTypeMetadata>().Any(m => m.StatusCode == status)) continue;
            var type = status == StatusCodes.Status400BadRequest ? typeof(HttpValidationProblemDetails) : typeof(ProblemDetails);
            endpoint.Metadata.Add(new ProducesResponseTypeMetadata(status, type, [ContentType]));
        }
    }
}
