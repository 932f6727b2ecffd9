using EpiGrid.WebHost.Alerts;
using EpiGrid.WebHost.Cluster;

namespace EpiGrid.WebHost.Api;

/// <summary>Liveness (the process answers) and readiness (a grain answers), for orchestrators and run scripts.</summary>
public static class HealthApi
{
    static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(3);

    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder app)
    {
        // Probes need no token and no rate limit applies to them: the body limit (413) is the one refusal they share with every request.
        var health = app.MapGroup("/health").WithTags("Health").AllowAnonymous().ProducesProblems(413);
        health.MapGet("/live", () => TypedResults.Ok(new { status = "live" })).WithName("getLiveness").WithSummary("Liveness: the process answers.");
        health.MapGet("/ready", Ready).WithName("getReadiness")
            .WithSummary("Readiness: the cluster is reached, live pushes are subscribed and a grain answers; 503 until then.").ProducesProblems(503);
        return app;
    }

    static async Task<Results<Ok<object>, ProblemHttpResult>> Ready(HttpContext http, IClusterClient grains, PushRelay push, ILoggerFactory loggers)
    {
        if (!ClusterGate.IsConnected(http)) return ClusterGate.NotYet.ToResult(http);
        if (!push.IsSubscribed) return Problems.Unavailable("Not yet registered for live pushes.").ToResult(http);
        try
        {
            await grains.GetGrain<IProvinceGrain>(0).GetView().WaitAsync(ReadyTimeout, http.RequestAborted);
            return TypedResults.Ok<object>(new { status = "ready" });
        }
        catch (Exception e) when (e is not OperationCanceledException || !http.RequestAborted.IsCancellationRequested)
        {
            loggers.CreateLogger(typeof(HealthApi)).LogInformation("Not ready: {Reason}", e.Message);
            return Problems.Unavailable($"The cluster did not answer: {e.Message}").ToResult(http);
        }
    }
}
