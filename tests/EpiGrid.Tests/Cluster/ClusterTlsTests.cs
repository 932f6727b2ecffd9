using System.Net;
using EpiGrid.Cluster;
using EpiGrid.Tests.Infrastructure;
using EpiGrid.WebHost.Cluster;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Orleans.Configuration;
using Orleans.Runtime;

namespace EpiGrid.Tests.Cluster;

/// <summary>
/// Issue 14: anyone who could reach a gateway port could join as a client and call any grain. With "Cluster:Tls" set,
/// a silo accepts only clients (and silos) presenting a certificate from the cluster's CA.
/// </summary>
public sealed class ClusterTlsTests
{
    const string Password = "test-only";
    // A refused client gives up at this bound (it would retry for ever); a served one has longer, for a loaded machine.
    static readonly TimeSpan RefusedWithin = TimeSpan.FromSeconds(8), ServedWithin = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_silo_with_TLS_serves_a_client_with_a_cluster_certificate_and_refuses_one_without()
    {
        using var certificates = new TestCertificates();
        var (ca, caPath) = certificates.CreateCa("cluster");
        var (intruderCa, _) = certificates.CreateCa("intruder");
        var siloTls = new ClusterTlsOptions { CertificatePath = certificates.CreateNode(ca, "silo", Password), CertificatePassword = Password, CaCertificatePath = caPath };
        await using var db = await TestDatabase.Create();
        var clusterId = "tls-" + Guid.NewGuid().ToString("N")[..8];
        await using var silo = await TestSilo.Start(db.ConnectionString, new FakeTimeProvider(DateTimeOffset.UtcNow), clusterId,
            new Dictionary<string, string?>
            {
                ["Cluster:Tls:CertificatePath"] = siloTls.CertificatePath,
                ["Cluster:Tls:CertificatePassword"] = Password,
                ["Cluster:Tls:CaCertificatePath"] = caPath,
            });

        var plain = await TryCallCluster(silo.GatewayPort, clusterId, new ClusterTlsOptions(), RefusedWithin);
        plain.ShouldNotBeNull("a client without TLS must not reach the gateway");

        var intruder = new ClusterTlsOptions
        {
            CertificatePath = certificates.CreateNode(intruderCa, "intruder", Password), CertificatePassword = Password,
            CaCertificatePath = caPath,   // it even trusts the real cluster: its own certificate is what must fail
        };
        var refused = await TryCallCluster(silo.GatewayPort, clusterId, intruder, RefusedWithin);
        refused.ShouldNotBeNull("a client whose certificate is from another CA must not reach the gateway");

        var member = siloTls with { CertificatePath = certificates.CreateNode(ca, "web", Password) };
        var served = await TryCallCluster(silo.GatewayPort, clusterId, member, ServedWithin);
        served.ShouldBeNull("a client with a cluster certificate is served");
    }

    /// <summary>Starts an Orleans client as the web host configures one and calls the cluster; the failure, or null when served.</summary>
    static async Task<Exception?> TryCallCluster(int gatewayPort, string clusterId, ClusterTlsOptions tls, TimeSpan bound)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Development" });
        builder.Logging.SetMinimumLevel(LogLevel.Critical);
        builder.UseOrleansClient(client =>
        {
            client.Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (clusterId, "epigrid"));
            client.UseStaticClustering(o => o.Gateways = [new IPEndPoint(IPAddress.Loopback, gatewayPort).ToGatewayUri()]);
            client.UseClusterTls(tls);
        });
        using var host = builder.Build();
        using var cts = new CancellationTokenSource(bound);
        var started = DateTime.UtcNow;
        try
        {
            await host.StartAsync(cts.Token);
            var grains = host.Services.GetRequiredService<IGrainFactory>();
            await grains.GetGrain<IManagementGrain>(0).GetHosts().WaitAsync(cts.Token);
            return null;
        }
        catch (Exception e)
        {
            (DateTime.UtcNow - started).ShouldBeLessThan(bound + TimeSpan.FromSeconds(5), "refused within a bounded time");
            return e;
        }
        finally
        {
            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try { await host.StopAsync(stop.Token); } catch (Exception) { }
        }
    }
}
