using System.Diagnostics.Metrics;

namespace EpiGrid.Grains.Telemetry;

/// <summary>
/// EpiGrid's own instruments (meter "EpiGrid"), next to the ones Orleans ("Microsoft.Orleans": orleans-grains per
/// grain type), ASP.NET Core and Npgsql publish. Silos and web hosts export them through OpenTelemetry.
/// </summary>
public static class EpiGridMetrics
{
    public const string MeterName = "EpiGrid";

    /// <summary>.NET's own meters, in every process: the runtime (GC, heap, thread pool, locks), outgoing HTTP and DNS.</summary>
    public static readonly string[] PlatformMeters = ["System.Runtime", "System.Net.Http", "System.Net.NameResolution"];

    /// <summary>
    /// Every meter a silo or web host exports: ours, Orleans' (orleans-grains: activations per grain type), Npgsql's and
    /// .NET's. Written after <see cref="PlatformMeters"/>: static fields initialise in the order they are written.
    /// </summary>
    public static readonly string[] Meters = [MeterName, "Microsoft.Orleans", "Npgsql", .. PlatformMeters];

    /// <summary>Trace sources: Orleans grain calls (with activity propagation on), Npgsql commands, Marten.</summary>
    public static readonly string[] TraceSources = ["Microsoft.Orleans.Runtime", "Microsoft.Orleans.Application", "Npgsql", "Marten"];
    static readonly Meter Meter = new(MeterName);

    /// <summary>Reports answered by the API (single requests and batch items).</summary>
    public static readonly Counter<long> ReportsIngested = Meter.CreateCounter<long>("epigrid.reports.ingested", "{report}",
        "Reports the API answered, by outcome (recorded, repeated, refused, unavailable, failed) and via (single, batch)");

    /// <summary>One group-commit transaction: how long the Marten append took.</summary>
    public static readonly Histogram<double> AppendDuration = Meter.CreateHistogram<double>("epigrid.eventlog.append.duration", "ms",
        "Duration of one group-commit transaction (Marten SaveChanges)");

    /// <summary>Counts one answered report under its outcome (from the HTTP status its single endpoint answers).</summary>
    public static void Ingested(int status, bool duplicate, string via) =>
        ReportsIngested.Add(1, new KeyValuePair<string, object?>("outcome", status switch
        {
            >= 200 and < 300 when duplicate => "repeated",
            >= 200 and < 300 => "recorded",
            503 => "unavailable",
            >= 500 => "failed",
            _ => "refused",
        }), new KeyValuePair<string, object?>("via", via));

    public static readonly Histogram<long> EventsPerCommit = Meter.CreateHistogram<long>("epigrid.eventlog.commit.events", "{event}",
        "Events written by one group-commit transaction");

    /// <summary>Real time from the alert ledger's commit to the web hosts having the alert (not the domain clock).</summary>
    public static readonly Histogram<double> AlertLatency = Meter.CreateHistogram<double>("epigrid.alerts.push.latency", "ms",
        "Real time from an alert's commit to its delivery to the web hosts");

    /// <summary>Alerts the push hub handed to a web host (which pushed them to their groups), by host.</summary>
    public static readonly Counter<long> AlertsPushed = Meter.CreateCounter<long>("epigrid.alerts.pushed", "{alert}",
        "Alerts handed to a web host for its SignalR groups, by host");

    /// <summary>Alerts (and alert updates) the push hub gave up on: its buffer was full or no web host took them in time.</summary>
    public static readonly Counter<long> PushesDropped = Meter.CreateCounter<long>("epigrid.push.dropped", "{alert}",
        "Alert pushes the push hub gave up on, by reason (buffer-full, undelivered); clients recover them with catchUp");
}
