namespace EpiGrid.WebHost.Cluster;

/// <summary>
/// The host starts listening before the Orleans client has first connected (see <see cref="ClientSetup"/>).
/// Until then a grain call fails with a misleading "no implementation for interface": answer 503 instead.
/// The host counts as started only once every hosted service, the client included, has started.
/// </summary>
public static class ClusterGate
{
    public static bool IsConnected(HttpContext http) => IsConnected(http.RequestServices.GetRequiredService<IHostApplicationLifetime>());

    public static bool IsConnected(IHostApplicationLifetime lifetime) => lifetime.ApplicationStarted.IsCancellationRequested;

    public static ProblemDetails NotYet => Problems.Unavailable("EpiGrid is starting: the cluster has not been reached yet.");

    public static TBuilder RequireCluster<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (context, next) =>
            IsConnected(context.HttpContext) ? await next(context) : NotYet.ToResult(context.HttpContext)).ProducesProblems(StatusCodes.Status503ServiceUnavailable);
}
