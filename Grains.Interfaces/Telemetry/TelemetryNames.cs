namespace EpiGrid.Telemetry;

/// <summary>
/// The meters and trace sources every EpiGrid process exports (silos and web hosts alike): EpiGrid's own meter, Orleans'
/// (orleans-grains: activations per grain type), Npgsql's where a process talks to PostgreSQL, and .NET's.
/// </summary>
public static class TelemetryNames
{
    /// <summary>EpiGrid's own meter: the silos' instruments (EpiGridMetrics) and the web hosts' (IngestMetrics) under one name.</summary>
    public const string MeterName = "EpiGrid";

    /// <summary>.NET's own meters, in every process: the runtime (GC, heap, thread pool, locks), outgoing HTTP and DNS.</summary>
    public static readonly string[] PlatformMeters = ["System.Runtime", "System.Net.Http", "System.Net.NameResolution"];

    /// <summary>Every meter a process exports. Written after <see cref="PlatformMeters"/>: static fields initialise in the order they are written.</summary>
    public static readonly string[] Meters = [MeterName, "Microsoft.Orleans", "Npgsql", .. PlatformMeters];

    /// <summary>Trace sources: Orleans grain calls (with activity propagation on), Npgsql commands, Marten.</summary>
    public static readonly string[] TraceSources = ["Microsoft.Orleans.Runtime", "Microsoft.Orleans.Application", "Npgsql", "Marten"];
}
