using EpiGrid.Platform;
using EpiGrid.Provinces;
using System.Net;
using EpiGrid.Alerts;
using EpiGrid.Geography;
using EpiGrid.People;
using EpiGrid.Grains.Audit;
using EpiGrid.Grains.Alerts;
using EpiGrid.Grains.Cells;
using EpiGrid.Cluster;
using EpiGrid.Grains.Counties;
using EpiGrid.Grains.History;
using EpiGrid.Grains.Provinces;
using EpiGrid.Grains.Resumption;
using EpiGrid.Grains.Seeding;
using EpiGrid.Grains.Storage;
using EpiGrid.Silo.Cluster;
using EpiGrid.Silo.Observability;
using Orleans.Dashboard;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Streams;

namespace EpiGrid.Silo;

/// <summary>Cluster settings (section "Cluster", not "Orleans": Orleans binds that section itself), shared by silos and web hosts.</summary>
public sealed record SiloOptions
{
    public const string Section = "Cluster";
    public string ClusterId { get; init; } = "epigrid-local";
    public string ServiceId { get; init; } = "epigrid";
    /// <summary>"localhost" (one machine, development clustering) or "redis" (ConnectionStrings:Redis).</summary>
    public string Clustering { get; init; } = "localhost";
    public int SiloPort { get; init; } = 11111;
    public int GatewayPort { get; init; } = 30000;
    /// <summary>Localhost clustering: the silo port of the primary silo (defaults to this silo's own).</summary>
    public int? PrimarySiloPort { get; init; }
    /// <summary>Address other silos and clients reach this silo at (Redis clustering).</summary>
    public string AdvertisedIp { get; init; } = "127.0.0.1";
    /// <summary>Redis clustering inside Kubernetes: pod name, IP and namespace come from the pod (Orleans' Kubernetes hosting).</summary>
    public bool Kubernetes { get; init; }
}

/// <summary>
/// How long idle grains stay in memory (section "Activations"; issue 18: memory that follows the live state, not the
/// history). Orleans keeps an idle activation 15 minutes; a person is touched by a report, a scan or a check-in and then
/// rarely again, so a stream of reports about persons would hold every person of the last quarter hour. The figures are
/// our choice, not measured against a workload that names persons (README, "Memory follows the live state").
/// </summary>
public sealed record ActivationOptions
{
    public const string Section = "Activations";
    /// <summary>A person idle this long is deactivated (it reads its stream again when next called). Above a minute (Orleans' collection quantum).</summary>
    public TimeSpan PersonIdle { get; init; } = TimeSpan.FromMinutes(2);
    /// <summary>How often Orleans looks for idle grains (its own default, a minute, when not set); every idle time must exceed it.</summary>
    public TimeSpan? CollectionQuantum { get; init; }
    /// <summary>
    /// When the silo's managed memory passes <see cref="MemoryLimitPercent"/> of what the process may use (a container's
    /// limit, or the machine's memory), Orleans deactivates the longest-idle grains until it is at
    /// <see cref="MemoryTargetPercent"/>: an emergency short of an out-of-memory kill. The domain's grains rebuild themselves
    /// from the store; what lives only in memory (an import's progress record, a push not yet delivered) is lost as it
    /// would be with the silo, and clients catch up as they do then.
    /// </summary>
    public bool ShedOnMemoryPressure { get; init; } = true;
    public double MemoryLimitPercent { get; init; } = 80;
    public double MemoryTargetPercent { get; init; } = 70;
}

public static class SiloSetup
{
    /// <summary>The whole silo: geography, rules, the event store with group commit, seeding and Orleans.</summary>
    public static IHostApplicationBuilder AddEpiGridSilo(this IHostApplicationBuilder builder)
    {
        var config = builder.Configuration;
        var services = builder.Services;
        services.AddEpiGridDomain();
        // Nodes from before the move of Grains.Interfaces into feature folders still understand this one (rolling deploys).
        services.AddFormerWireNames();
        services.AddOptions<CountyOptions>().BindConfiguration(CountyOptions.Section);
        services.AddOptions<ProvinceOptions>().BindConfiguration(ProvinceOptions.Section);
        services.AddOptions<EventLogOptions>().BindConfiguration(EventLogOptions.Section);
        services.AddOptions<SeedingOptions>().BindConfiguration(SeedingOptions.Section);
        services.AddOptions<AlertOptions>().BindConfiguration(AlertOptions.Section);
        services.AddOptions<TravellerOptions>().BindConfiguration(TravellerOptions.Section);
        services.AddSingleton<AlertSweep>();
        services.AddSingleton<OneOfAKindGrains>();

        var marten = config.GetConnectionString("Marten")
            ?? throw new InvalidOperationException("ConnectionStrings:Marten is not configured (the PostgreSQL event store)");
        var orleans = Bind<SiloOptions>(config, SiloOptions.Section);
        var redisClustering = orleans.Clustering.Equals("redis", StringComparison.OrdinalIgnoreCase);
        // Before the hosted services below: the health endpoint answers while the store is seeded and Orleans starts.
        builder.AddEpiGridSiloHealth(marten, redisClustering ? config.GetConnectionString("Redis") : null);
        // The schema's owner, used only at start-up for schema changes; the platform itself runs as ConnectionStrings:Marten.
        services.AddEpiGridMarten(marten, config.GetConnectionString("MartenMigration"));
        services.AddEpiGridAuditTrail();
        // The history's reads (replay, what-if, explanations, event queries, exports, verification) through a pool of their
        // own: ConnectionStrings:MartenHistory when given, e.g. the standby first with Target Session Attributes=prefer-standby,
        // so an auditor's province-wide export reads a standby and not the primary that takes the reports.
        services.AddEpiGridHistory(config.GetConnectionString("MartenHistory") is { Length: > 0 } history ? history : marten);
        // After the migration (the audit trail's installer), before the group commit and the seeding: hosted services start in order.
        services.AddSingleton<RegisterRebuild>();
        services.AddHostedService<StoreReadiness>();
        services.AddSingleton<GroupCommitLog>();
        services.AddSingleton<IEventLog>(sp => sp.GetRequiredService<GroupCommitLog>());
        services.AddHostedService(sp => sp.GetRequiredService<GroupCommitLog>());
        services.AddSingleton<CountyRecords>();
        services.AddEpiGridResumption();
        services.TryAddSingleton<ICellChangePublisher, StreamCellChangePublisher>();
        // Seeding runs before Orleans starts, so no county activates over a half-seeded province.
        services.AddHostedService<ProvinceSeeder>();

        builder.UseOrleans(silo =>
        {
            silo.Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (orleans.ClusterId, orleans.ServiceId));
            var activations = Bind<ActivationOptions>(config, ActivationOptions.Section);
            silo.Configure<GrainCollectionOptions>(o =>
            {
                if (activations.CollectionQuantum is { } quantum) o.CollectionQuantum = quantum;
                o.ClassSpecificCollectionAge[typeof(EpiGrid.Grains.People.PersonGrain).FullName!] = activations.PersonIdle;
                o.EnableActivationSheddingOnMemoryPressure = activations.ShedOnMemoryPressure;
                o.MemoryUsageLimitPercentage = activations.MemoryLimitPercent;
                o.MemoryUsageTargetPercentage = activations.MemoryTargetPercent;
            });
            // Mutual TLS between silos and with clients when Cluster:Tls names a certificate (off on one machine).
            silo.UseClusterTls(Bind<ClusterTlsOptions>(config, ClusterTlsOptions.Section));
            if (redisClustering)
            {
                var redis = config.GetConnectionString("Redis")
                    ?? throw new InvalidOperationException("Cluster:Clustering is redis but ConnectionStrings:Redis is not configured");
                silo.UseRedisClustering(redis);
                if (orleans.Kubernetes) silo.UseKubernetesHosting();
                else silo.ConfigureEndpoints(IPAddress.Parse(orleans.AdvertisedIp), orleans.SiloPort, orleans.GatewayPort);
                // Kubernetes hosting listens on every address of the pod; only the advertised one is meant for the cluster.
                silo.ListenOnAdvertisedAddressOnly();
            }
            else
            {
                var primary = new IPEndPoint(IPAddress.Loopback, orleans.PrimarySiloPort ?? orleans.SiloPort);
                silo.UseLocalhostClustering(orleans.SiloPort, orleans.GatewayPort, primary, orleans.ServiceId, orleans.ClusterId);
            }
            // Reminders are deadlines: in PostgreSQL with the truth, in every mode (not in memory; not in Redis, which
            // may restart empty), so they outlive the silo that registered them and the whole platform.
            silo.AddReminders();
            silo.Services.AddSingleton<IReminderTable>(sp => new PostgresReminderTable(
                EventStoreDataSource.Create(new NpgsqlConnectionStringBuilder(marten) { MaxPoolSize = 4 }.ConnectionString),
                sp.GetRequiredService<IOptions<ClusterOptions>>()));
            silo.AddActivityPropagation();
            // The dashboard's silo side; web hosts serve its pages to admins (WebHost/Observability).
            silo.AddDashboard();
            silo.Services.CollectDashboardCountersEvery(Bind<SiloObservabilityOptions>(config, SiloObservabilityOptions.Section).DashboardCountersInterval);
            silo.AddMemoryStreams(StreamNames.Provider, streams => streams.ConfigureStreamPubSub(StreamPubSubType.ImplicitOnly));
        });
        services.AddHostedService<ProvinceWarmUp>();
        builder.AddEpiGridSiloTelemetry();
        builder.Logging.AddFilter("Orleans", LogLevel.Warning);
        builder.Logging.AddFilter("Marten", LogLevel.Warning);
        builder.Logging.AddFilter("Polly", LogLevel.Warning);
        return builder;
    }

    static T Bind<T>(IConfiguration config, string section) where T : new() =>
        config.GetSection(section).Get<T>() ?? new T();
}

/// <summary>Wakes the province (and through it every county) once the silo is up, so the map is live at once.</summary>
sealed class ProvinceWarmUp(IGrainFactory grains, ILogger<ProvinceWarmUp> log) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var view = await grains.GetGrain<IProvinceGrain>(0).GetView();
        // Quarantine deadlines must run after a restart even if no person is touched.
        await Task.WhenAll(view.Counties.Select(c => grains.GetGrain<IQuarantineWatchGrain>(c.Code).Wake()));
        log.LogInformation("Province is live with {Counties} counties", view.Counties.Count);
        // Waking reads every county's cells and cases, and the watches' persons, once: a burst that grows the collector's
        // heaps far past what the live state needs, and the server collector keeps what it grew. Compacted and given back
        // once, here, the silo starts its life at the size of its live state (issue 18; BENCHMARKS.md, "A long history").
        var before = Environment.WorkingSet;
        var took = System.Diagnostics.Stopwatch.StartNew();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        log.LogInformation("Memory after waking compacted in {Ms} ms: working set {Before} → {After} MB, managed heap {Heap} MB",
            took.ElapsedMilliseconds, before >> 20, Environment.WorkingSet >> 20, GC.GetTotalMemory(false) >> 20);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
