using EpiGrid.Platform;
using EpiGrid.Silo;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace EpiGrid.Tests.Infrastructure;

/// <summary>
/// A real silo in this process, composed exactly as the Silo program composes it, on a real PostgreSQL.
/// Only the domain clock is a test double; <paramref name="configure"/> may replace other true edges.
/// </summary>
public sealed class TestSilo : IAsyncDisposable
{
    readonly IHost host;

    TestSilo(IHost host, int siloPort, int gatewayPort) => (this.host, SiloPort, GatewayPort) = (host, siloPort, gatewayPort);

    public int SiloPort { get; }
    public int GatewayPort { get; }
    public IServiceProvider Services => host.Services;
    public IGrainFactory Grains => host.Services.GetRequiredService<IGrainFactory>();

    public static async Task<TestSilo> Start(
        string connectionString, FakeTimeProvider clock, string clusterId,
        IDictionary<string, string?>? settings = null, Action<IServiceCollection>? configure = null,
        int? siloPort = null, int? primarySiloPort = null, int? gatewayPort = null, ILoggerProvider? logs = null,
        Action<IServiceCollection>? decorate = null)
    {
        var port = siloPort ?? FreePort.Next();
        var gateway = gatewayPort ?? FreePort.Next();
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            EnvironmentName = "Development", ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Marten"] = connectionString,
            ["Cluster:ClusterId"] = clusterId,
            ["Cluster:SiloPort"] = port.ToString(),
            ["Cluster:GatewayPort"] = gateway.ToString(),
            ["Cluster:PrimarySiloPort"] = (primarySiloPort ?? port).ToString(),
            ["Seeding:Cells"] = "0",
            ["Counties:EvaluationInterval"] = "00:00:01",
            ["Counties:ReconcileInterval"] = "00:00:30",
            ["Province:RefreshInterval"] = "00:00:30",
            ["Alerts:EscalationCheckInterval"] = "00:00:01",
            ["Alerts:SweepInterval"] = "00:00:03",
            ["Travellers:WatchInterval"] = "00:00:01",
            // Every host of the test run is in this process, and each one's metric readers collect every other's instruments too.
            ["Observability:MetricCardinalityLimit"] = "64",
        });
        if (settings is not null) builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.SetMinimumLevel(logs is null ? LogLevel.Warning : LogLevel.Information);
        if (logs is not null) builder.Logging.AddProvider(logs);
        builder.Services.AddKeyedSingleton<TimeProvider>(Clocks.Domain, clock);
        configure?.Invoke(builder.Services);
        builder.AddEpiGridSilo();
        // After the silo's own registrations, so a test can wrap one of them (e.g. the event log, a true edge).
        decorate?.Invoke(builder.Services);
        var host = builder.Build();
        await host.StartAsync();
        return new TestSilo(host, port, gateway);
    }

    public async ValueTask DisposeAsync()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        try { await host.StopAsync(cts.Token); } catch (OperationCanceledException) { }
        host.Dispose();
    }
}
