using System.Net;
using EpiGrid.Cluster;
using Orleans.Configuration;
using Orleans.Dashboard;
using Orleans.Runtime;
using StackExchange.Redis;

namespace EpiGrid.WebHost.Cluster;

/// <summary>
/// The web host is an Orleans client, configured from section "Cluster" (as the silos are). Only the clustering kind is read
/// while the host is built; ids, port and connection string are read when the client starts, so a test host
/// can supply them through configuration it adds late.
/// </summary>
/// <remarks>
/// The section is "Cluster", not "Orleans": Orleans itself reads "Orleans:Clustering" as a provider definition
/// and refuses to start when it holds a plain value.
/// </remarks>
public static class ClientSetup
{
    public const string Section = "Cluster";
    public const string ClusteringKindKey = "Clustering";

    public static WebApplicationBuilder AddEpiGridOrleansClient(this WebApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection(Section);
        var clustering = (section[ClusteringKindKey] ?? "localhost").Trim().ToLowerInvariant();
        builder.UseOrleansClient(client =>
        {
            client.Services.AddOptions<ClusterOptions>().Configure(o =>
            {
                o.ClusterId = section["ClusterId"] ?? "epigrid-local";
                o.ServiceId = section["ServiceId"] ?? "epigrid";
            });
            switch (clustering)
            {
                case "localhost":
                    // What UseLocalhostClustering(port, serviceId, clusterId) does, but with the port read late.
                    client.UseStaticClustering(o => o.Gateways =
                        [new IPEndPoint(IPAddress.Loopback, section.GetValue("GatewayPort", 30000)).ToGatewayUri()]);
                    break;
                case "redis":
                    client.UseRedisClustering(o => o.ConfigurationOptions = ConfigurationOptions.Parse(
                        builder.Configuration.GetConnectionString("Redis")
                        ?? throw new InvalidOperationException($"{Section}:{ClusteringKindKey} is 'redis' but ConnectionStrings:Redis is not set.")));
                    break;
                default:
                    throw new InvalidOperationException($"{Section}:{ClusteringKindKey} must be 'localhost' or 'redis', not '{clustering}'.");
            }

            client.Services.AddSingleton<IClientConnectionRetryFilter, KeepTryingToConnect>();
            // Silos from before the move of Grains.Interfaces into feature folders still understand this client (rolling deploys).
            client.Services.AddFormerWireNames();
            // Mutual TLS to the gateways when Cluster:Tls names a certificate; read while the host is built (it adds middleware).
            client.UseClusterTls(builder.Configuration.GetSection(ClusterTlsOptions.Section).Get<ClusterTlsOptions>() ?? new());
            // The HTTP request's trace (its correlation id) continues into the grains it calls.
            client.AddActivityPropagation();
            // The dashboard's pages are served here, to admins only (Observability/AdminDashboard); the silos collect its data.
            client.AddDashboard();
        });
        // Kestrel must not wait for the client's first connection: the host is live (and not ready) meanwhile.
        builder.Services.Configure<HostOptions>(o => o.ServicesStartConcurrently = true);
        return builder;
    }
}

/// <summary>
/// Without a retry filter the client gives up when no silo is up and takes the web host down with it; the
/// host should instead stay live (and not ready) until the cluster appears.
/// </summary>
sealed class KeepTryingToConnect(ILogger<KeepTryingToConnect> log) : IClientConnectionRetryFilter
{
    static readonly TimeSpan Pause = TimeSpan.FromSeconds(2);

    public async Task<bool> ShouldRetryConnectionAttempt(Exception exception, CancellationToken ct)
    {
        log.LogWarning("Cannot reach the Orleans cluster yet ({Reason}); retrying in {Pause}", exception.Message, Pause);
        await Task.Delay(Pause, ct);
        return true;
    }
}
