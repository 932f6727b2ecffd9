using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;

namespace EpiGrid.Silo.Observability;

public static class SiloHealth
{
    /// <summary>
    /// The silo's health endpoint on <see cref="SiloObservabilityOptions.HealthPort"/> (0: none). Registered before seeding
    /// and Orleans start, so liveness answers through a long seeding while readiness waits for the silo to be Active.
    /// </summary>
    public static IHostApplicationBuilder AddEpiGridSiloHealth(this IHostApplicationBuilder builder, string eventStore, string? redis)
    {
        var options = builder.Configuration.GetSection(SiloObservabilityOptions.Section).Get<SiloObservabilityOptions>() ?? new();
        if (options.HealthPort > 0)
            builder.Services.AddHostedService(silo => new SiloHealthListener(silo, options, eventStore, redis));
        return builder;
    }
}

/// <summary>
/// A small Kestrel listener of its own (a silo has no web server): /health/live answers while the process runs,
/// /health/ready when this silo is Active in the membership, the event store answers and, with Redis clustering, Redis.
/// The answers name each check with its status and duration, as the web host's do; the reasons go to the silo's log.
/// </summary>
sealed class SiloHealthListener(IServiceProvider silo, SiloObservabilityOptions options, string eventStore, string? redis) : IHostedService
{
    const string Ready = "ready";
    static readonly TimeSpan CheckTimeout = TimeSpan.FromSeconds(3);
    WebApplication? app;
    // The store as the silo reaches it (a read-write session when the string names a primary and its standbys).
    readonly Lazy<Npgsql.NpgsqlDataSource> eventStoreSource = new(() => EpiGrid.Grains.Storage.EventStoreDataSource.Create(eventStore));

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.WebHost.UseUrls($"http://{options.MetricsHost}:{options.HealthPort}");
        builder.Services.AddSingleton(silo.GetRequiredService<ILoggerFactory>());
        // The silo's host owns the process: Ctrl+C and SIGTERM stop it, and it stops this listener last.
        builder.Services.AddSingleton<IHostLifetime, OwnedBySilo>();
        builder.Services.AddProblemDetails();
        var checks = builder.Services.AddHealthChecks()
            .Add(new HealthCheckRegistration("silo", _ => ActivatorUtilities.CreateInstance<SiloActiveCheck>(silo), null, [Ready], CheckTimeout))
            .AddNpgSql(_ => eventStoreSource.Value, name: "postgresql", tags: [Ready], timeout: CheckTimeout);
        if (redis is not null) checks.AddRedis(redis, name: "redis", tags: [Ready], timeout: CheckTimeout);
        app = builder.Build();
        Map(app, "/health/live", "live", _ => false);
        Map(app, "/health/ready", Ready, check => check.Tags.Contains(Ready));
        await app.StartAsync(cancellationToken);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (app is null) return;
        await app.StopAsync(cancellationToken);
        await app.DisposeAsync();
        if (eventStoreSource.IsValueCreated) await eventStoreSource.Value.DisposeAsync();
    }

    static void Map(IEndpointRouteBuilder app, string path, string healthy, Func<HealthCheckRegistration, bool> predicate) =>
        app.MapHealthChecks(path, new HealthCheckOptions { Predicate = predicate, ResponseWriter = (http, report) => Write(http, report, healthy) })
            .WithMetadata(new HttpMethodMetadata([HttpMethods.Get]));

    /// <summary>The web host's shape: { status, checks } when healthy, else a 503 problem naming the failing checks.</summary>
    static Task Write(HttpContext http, HealthReport report, string healthy)
    {
        var checks = report.Entries.Select(e => new { name = e.Key, status = e.Value.Status.ToString(), duration = e.Value.Duration }).ToList();
        if (report.Status != HealthStatus.Unhealthy)
            return http.Response.WriteAsJsonAsync(new { status = healthy, checks });
        var failing = report.Entries.Where(e => e.Value.Status == HealthStatus.Unhealthy).Select(e => e.Key);
        var problem = new ProblemDetails
        {
            Status = StatusCodes.Status503ServiceUnavailable,
            Title = ReasonPhrases.GetReasonPhrase(StatusCodes.Status503ServiceUnavailable),
            Detail = $"Not {healthy}: {string.Join(", ", failing)}.",
            Extensions = { ["checks"] = checks },
        };
        return http.RequestServices.GetRequiredService<IProblemDetailsService>()
            .WriteAsync(new ProblemDetailsContext { HttpContext = http, ProblemDetails = problem }).AsTask();
    }
}

sealed class OwnedBySilo : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>Ready while this silo is Active in the cluster membership: not while joining, shutting down or declared dead.</summary>
sealed class SiloActiveCheck(IClusterMembershipService membership, ILocalSiloDetails local) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var status = membership.CurrentSnapshot.GetSiloStatus(local.SiloAddress);
        return Task.FromResult(status == SiloStatus.Active ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy($"This silo is {status}."));
    }
}
