using EpiGrid.WebHost.Alerts;
using EpiGrid.WebHost.Cluster;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace EpiGrid.WebHost.Api;

/// <summary>One check of a health answer: its name, its status and how long it took. Why it failed goes to the log only.</summary>
public sealed record HealthCheckAnswer(string Name, string Status, TimeSpan Duration);

/// <summary>
/// Liveness (the process answers; no dependency is asked) and readiness (a grain answers, this host receives pushes, and
/// Redis answers when it is configured), on the health-checks framework, for orchestrators and run scripts. The web host
/// does not talk to the event store: the silos' readiness checks it (Silo/Observability/SiloHealth.cs).
/// </summary>
public static class HealthApi
{
    const string Ready = "ready";
    static readonly TimeSpan CheckTimeout = TimeSpan.FromSeconds(3);

    public static WebApplicationBuilder AddEpiGridHealth(this WebApplicationBuilder builder)
    {
        var checks = builder.Services.AddHealthChecks()
            .AddCheck<ClusterHealthCheck>("cluster", tags: [Ready], timeout: CheckTimeout)
            .AddCheck<PushHealthCheck>("pushes", tags: [Ready]);
        // Redis carries the SignalR backplane, and membership with Redis clustering.
        if (builder.Configuration.GetConnectionString("Redis") is { Length: > 0 } redis)
            checks.AddRedis(redis, name: "redis", tags: [Ready], timeout: CheckTimeout);
        return builder;
    }

    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder app)
    {
        Map(app, "/health/live", "live", _ => false).WithName("getLiveness").WithSummary("Liveness: the process answers.");
        Map(app, "/health/ready", Ready, check => check.Tags.Contains(Ready)).WithName("getReadiness")
            .WithSummary("Readiness: the cluster is reached, live pushes are subscribed, Redis (when configured) answers; 503 until then.");
        return app;
    }

    static IEndpointConventionBuilder Map(IEndpointRouteBuilder app, string path, string healthy, Func<HealthCheckRegistration, bool> predicate) =>
        app.MapHealthChecks(path, new HealthCheckOptions { Predicate = predicate, ResponseWriter = (http, report) => Write(http, report, healthy) })
            .WithMetadata(new HttpMethodMetadata([HttpMethods.Get]))
            .WithTags("Health")
            .AllowAnonymous();

    /// <summary>{ status, checks } when healthy; otherwise the API's 503 problem, naming the failing checks. No exception text:
    /// the caller is anonymous, and the health-checks framework logs each failure with its reason.</summary>
    static Task Write(HttpContext http, HealthReport report, string healthy)
    {
        var checks = report.Entries.Select(e => new HealthCheckAnswer(e.Key, e.Value.Status.ToString(), e.Value.Duration)).ToList();
        if (report.Status != HealthStatus.Unhealthy)
            return http.Response.WriteAsJsonAsync(new { status = healthy, checks });
        var failing = report.Entries.Where(e => e.Value.Status == HealthStatus.Unhealthy).Select(e => e.Key);
        var problem = Problems.Unavailable($"Not {healthy}: {string.Join(", ", failing)}.");
        problem.Extensions["checks"] = checks;
        http.Response.Headers.RetryAfter = Problems.RetryAfterSeconds.ToString();
        return problem.WriteTo(http).AsTask();
    }
}
