using System.Diagnostics.Metrics;
using EpiGrid.Telemetry;

namespace EpiGrid.WebHost.Observability;

/// <summary>The web host's own instrument, under EpiGrid's meter name (<see cref="TelemetryNames.MeterName"/>) like the silos' ones.</summary>
public static class IngestMetrics
{
    static readonly Meter Meter = new(TelemetryNames.MeterName);

    /// <summary>Reports answered by the API (single requests and batch items).</summary>
    public static readonly Counter<long> ReportsIngested = Meter.CreateCounter<long>("epigrid.reports.ingested", "{report}",
        "Reports the API answered, by outcome (recorded, repeated, refused, unavailable, failed) and via (single, batch)");

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
}
