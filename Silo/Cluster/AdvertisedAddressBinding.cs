using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Orleans.Hosting;

namespace EpiGrid.Silo.Cluster;

/// <summary>
/// The silo and gateway listen on the address the silo advertises to the cluster, not on every address of the machine
/// (issue 14). Orleans' Kubernetes hosting and <c>ConfigureEndpoints(listenOnAnyHostAddress: true)</c> both listen on
/// 0.0.0.0, which also exposes the ports on any other interface a node or pod has (a management network, a sidecar's).
/// </summary>
public static class AdvertisedAddressBinding
{
    /// <summary>
    /// Runs after every other configuration of <see cref="EndpointOptions"/> (a post-configure step), so it also narrows
    /// what Kubernetes hosting sets from POD_IP; the listening ports stay those already chosen.
    /// </summary>
    public static ISiloBuilder ListenOnAdvertisedAddressOnly(this ISiloBuilder silo)
    {
        silo.Services.PostConfigure<EndpointOptions>(Narrow);
        return silo;
    }

    internal static void Narrow(EndpointOptions o)
    {
        // Without an advertised address Orleans picks one itself at start; there is nothing to narrow to yet.
        if (o.AdvertisedIPAddress is not { } advertised || advertised.Equals(IPAddress.Any) || advertised.Equals(IPAddress.IPv6Any)) return;
        o.SiloListeningEndpoint = new IPEndPoint(advertised, o.SiloListeningEndpoint?.Port ?? o.SiloPort);
        if (o.GatewayPort > 0 || o.GatewayListeningEndpoint is not null)
            o.GatewayListeningEndpoint = new IPEndPoint(advertised, o.GatewayListeningEndpoint?.Port ?? o.GatewayPort);
    }
}
