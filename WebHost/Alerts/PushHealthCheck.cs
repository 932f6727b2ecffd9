using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace EpiGrid.WebHost.Alerts;

/// <summary>Ready once the push hub knows this host (<see cref="PushRelay"/>): until then its clients would miss pushes.</summary>
sealed class PushHealthCheck(PushRelay relay) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(relay.IsSubscribed ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy("Not yet registered for live pushes."));
}
