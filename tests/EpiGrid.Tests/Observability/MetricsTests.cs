using EpiGrid.Tests.Infrastructure;
using EpiGrid.WebHost.Auth;

namespace EpiGrid.Tests.Observability;

/// <summary>
/// The web host's /metrics carries .NET's and ASP.NET Core's own meters beside EpiGrid's: the runtime (GC, thread pool),
/// the rate limiter's decisions and the requests, so an operator reads a pause or a throttled client where they read
/// the ingest rate.
/// </summary>
public sealed class MetricsTests(EpiGridApp app) : IClassFixture<EpiGridApp>
{
    [Fact]
    public async Task Metrics_carry_the_runtime_the_rate_limiter_and_the_requests_beside_epigrids_own()
    {
        using var official = app.As(Roles.CountyOfficial, "330782");
        for (var i = 0; i < 3; i++) (await official.GetAsync("/api/v1/counties/330782")).EnsureSuccessStatusCode();
        using var anonymous = app.Anonymous();

        await Eventually.True(async () =>
        {
            var metrics = await anonymous.GetStringAsync("/metrics");
            return new[] { "dotnet_gc_", "dotnet_thread_pool_", "aspnetcore_rate_limiting_", "http_server_request_duration" }
                .All(metrics.Contains);
        }, TimeSpan.FromSeconds(20), "runtime, rate-limiter and request metrics are exported");
    }
}
