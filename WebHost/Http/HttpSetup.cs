using Microsoft.AspNetCore.Routing;

namespace EpiGrid.WebHost.Http;

public static class HttpSetup
{
    public static IServiceCollection AddEpiGridHttp(this IServiceCollection services)
    {
        services.ConfigureHttpJsonOptions(JsonBody.Configure);
        // Bad bodies must reach ProblemExceptionHandler so the answer names the field at fault.
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddProblemDetails();
        services.AddExceptionHandler<ProblemExceptionHandler>();
        services.AddOpenApi(o => o.AddDocumentTransformer<BearerSecurityScheme>()
            .AddSchemaTransformer<StrictStrings.Schema>().AddSchemaTransformer<ProblemResponses.Schema>());
        return services;
    }

    /// <summary>Exceptions and bare status codes (401, 403, 404, 405...) all leave as problem+json.</summary>
    public static WebApplication UseEpiGridErrors(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        return app;
    }
}
