using System.Diagnostics.Metrics;
using EpiGrid.Telemetry;

namespace EpiGrid.Grains.Telemetry;

/// <summary>
/// The silo's own instruments (meter "EpiGrid", <see cref="TelemetryNames"/>), next to the ones Orleans, ASP.NET Core and
/// Npgsql publish. The web hosts' instruments under the same meter name are in WebHost/Observability/IngestMetrics.cs.
/// </summary>
public static class EpiGridMetrics
{
    public const string MeterName = TelemetryNames.MeterName;

    static readonly Meter Meter = new(MeterName);

    /// <summary>One group-commit transaction: how long the Marten append took.</summary>
    public static readonly Histogram<double> AppendDuration = Meter.CreateHistogram<double>("epigrid.eventlog.append.duration", "ms",
        "Duration of one group-commit transaction (Marten SaveChanges)");

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
