using Microsoft.Extensions.Diagnostics.HealthChecks;
using EpiGrid.Provinces;

namespace EpiGrid.WebHost.Cluster;

/// <summary>Ready once the Orleans client has connected (<see cref="ClusterGate"/>) and a grain answers: the province, which every map asks.</summary>
sealed class ClusterHealthCheck(IHostApplicationLifetime lifetime, IClusterClient grains) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!ClusterGate.IsConnected(lifetime)) return HealthCheckResult.Unhealthy("The cluster has not been reached yet.");
        await grains.GetGrain<IProvinceGrain>(0).GetView().WaitAsync(cancellationToken);
        return HealthCheckResult.Healthy();
    }
}
