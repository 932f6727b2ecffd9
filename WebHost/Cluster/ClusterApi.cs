using Orleans.Runtime;
using EpiGrid.Platform;

namespace EpiGrid.WebHost.Cluster;

/// <summary>GET /api/v1/cluster (admin): the silos as the membership table lists them and the web hosts the push hub knows.</summary>
public static class ClusterApi
{
    public sealed record SiloEntry(string Address, string Status, string Name, DateTime StartedAt);
    public sealed record ClusterView(IReadOnlyList<SiloEntry> Silos, int WebHosts);

    public static RouteGroupBuilder MapClusterApi(this RouteGroupBuilder api)
    {
        api.MapGet("/cluster", Get).WithTags("Cluster").WithName("getCluster").RequireAuthorization(p => p.RequireRole(Roles.Admin))
            .WithSummary("Silos (address, status: active, joining, shuttingDown, dead) and the number of web hosts receiving pushes.")
            .ProducesProblems(403);
        return api;
    }

    static async Task<Ok<ClusterView>> Get(IClusterClient grains)
    {
        var members = await grains.GetGrain<IManagementGrain>(0).GetDetailedHosts(onlyActive: false);
        var webHosts = await grains.GetGrain<IPushHubGrain>(0).WebHostCount();
        var silos = members.OrderBy(m => m.Status == SiloStatus.Active ? 0 : 1).ThenBy(m => m.SiloAddress.ToString())
            .Select(m => new SiloEntry(m.SiloAddress.ToParsableString(), JsonNamingPolicy.CamelCase.ConvertName(m.Status.ToString()), m.SiloName, m.StartTime))
            .ToList();
        return TypedResults.Ok(new ClusterView(silos, webHosts));
    }
}
