using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace EpiGrid.WebHost.Http;

/// <summary>
/// How large a request body may be (section "Limits"). Every endpoint takes at most <see cref="MaxBodyBytes"/>; only the
/// bulk endpoints, listed in <see cref="RequestLimits"/>, take more.
/// </summary>
public sealed record LimitsOptions
{
    public const string Section = "Limits";

    /// <summary>Any JSON body: the largest single request EpiGrid takes is a few kilobytes.</summary>
    public long MaxBodyBytes { get; init; } = 1L * 1024 * 1024;
    /// <summary>Batches of reports (5,000 items), enterprises (100,000) and readings (the endpoint itself stops at 32 MiB).</summary>
    public long MaxBulkBodyBytes { get; init; } = 64L * 1024 * 1024;
    /// <summary>The CSV arrivals import: a 300,000-row file is about 45 MB.</summary>
    public long MaxImportBodyBytes { get; init; } = 512L * 1024 * 1024;
}

/// <summary>
/// Refuses a body over its endpoint's limit with 413 problem+json naming the limit: at once when Content-Length says so,
/// and through the server's own limit (or a counting stream where the server has none) when the body is sent in chunks.
/// </summary>
public static class RequestLimits
{
    /// <summary>The endpoints allowed more than <see cref="LimitsOptions.MaxBodyBytes"/>, by method and route pattern.</summary>
    static readonly Dictionary<(string Method, string Pattern), Func<LimitsOptions, (long Bytes, string Setting)>> Larger = new()
    {
        [("POST", "/api/v1/reports:batch")] = o => (o.MaxBulkBodyBytes, nameof(o.MaxBulkBodyBytes)),
        [("POST", "/api/v1/enterprises")] = o => (o.MaxBulkBodyBytes, nameof(o.MaxBulkBodyBytes)),
        [("POST", "/api/v1/enterprises/readings")] = o => (o.MaxBulkBodyBytes, nameof(o.MaxBulkBodyBytes)),
        [("POST", "/api/v1/imports/arrivals")] = o => (o.MaxImportBodyBytes, nameof(o.MaxImportBodyBytes)),
    };

    public static IServiceCollection AddEpiGridLimits(this IServiceCollection services)
    {
        services.AddOptions<LimitsOptions>().BindConfiguration(LimitsOptions.Section)
            .Validate(o => o.MaxBodyBytes > 0 && o.MaxBulkBodyBytes > 0 && o.MaxImportBodyBytes > 0, "Limits: every body limit must be above 0.");
        services.AddEpiGridRateLimits();
        services.AddEpiGridHeavyReads();
        return services;
    }

    /// <summary>After authentication, as rate limits partition by the token's subject; then body size, then UTF-8.</summary>
    public static WebApplication UseEpiGridLimits(this WebApplication app)
    {
        app.UseRateLimiter();
        app.Use(LimitBody);
        app.Use(Utf8Body.Check);
        return app;
    }

    public static (long Bytes, string Setting) LimitOf(Endpoint? endpoint, string method, LimitsOptions options) =>
        endpoint is RouteEndpoint route && route.RoutePattern.RawText is { } pattern
        && Larger.TryGetValue((method, "/" + pattern.Trim('/')), out var larger)
            ? larger(options)
            : (options.MaxBodyBytes, nameof(options.MaxBodyBytes));

    static async Task LimitBody(HttpContext http, RequestDelegate next)
    {
        var options = http.RequestServices.GetRequiredService<IOptionsMonitor<LimitsOptions>>().CurrentValue;
        var (limit, setting) = LimitOf(http.GetEndpoint(), http.Request.Method, options);
        if (http.Request.ContentLength > limit)
        {
            await TooLarge(limit, setting).WriteTo(http);
            return;
        }

        switch (http.Features.Get<IHttpMaxRequestBodySizeFeature>())
        {
            case { IsReadOnly: false } feature: feature.MaxRequestBodySize = limit; break;
            case null: http.Request.Body = new LimitedBody(http.Request.Body, limit); break;
        }
        await next(http);
        // A body cut off at the limit while being read leaves a bare 413 from body binding: name the limit.
        if (http.Response.StatusCode == StatusCodes.Status413PayloadTooLarge && !http.Response.HasStarted)
            await TooLarge(limit, setting).WriteTo(http);
    }

    public static ProblemDetails TooLarge(long limit, string setting)
    {
        var problem = Problems.Status(StatusCodes.Status413PayloadTooLarge,
            $"The request body is larger than this endpoint takes: at most {limit:N0} bytes ({LimitsOptions.Section}:{setting}).");
        problem.Extensions["limitBytes"] = limit;
        return problem;
    }

    /// <summary>Where the server sets no limit of its own (the in-memory test server): fails the read past the limit, as Kestrel does.</summary>
    sealed class LimitedBody(Stream inner, long limit) : InspectedBody(inner)
    {
        protected override void Inspect(ReadOnlySpan<byte> bytes, bool last)
        {
            if (Position + bytes.Length > limit)
                throw new BadHttpRequestException($"Request body too large. The max request body size is {limit} bytes.", StatusCodes.Status413PayloadTooLarge);
        }
    }
}
