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

    /// <summary>
    /// Trace sources that carry a request's trace id (its correlation id) on: Orleans grain calls, with activity
    /// propagation on. Listened to always, so log lines in every grain a request reaches name its trace id.
    /// </summary>
    public static readonly string[] CorrelationSources = ["Microsoft.Orleans.Runtime", "Microsoft.Orleans.Application"];

    /// <summary>
    /// Trace sources that only make leaf spans (an Npgsql command, a Marten session): listened to only when spans are
    /// recorded. With a listener, Npgsql writes each batch's whole text into its span's tags also when the span is then
    /// dropped: a commit of a thousand events built its text for nothing (4 % of a busy silo's allocations).
    /// </summary>
    public static readonly string[] SpanSources = ["Npgsql", "Marten"];

    /// <summary>
    /// Whether a process records spans: with an OTLP exporter, or when <c>OTEL_TRACES_SAMPLER</c> says how; otherwise none
    /// is (the sampler is off), and only <see cref="CorrelationSources"/> are listened to. One rule for silos and web hosts.
    /// </summary>
    public static bool SpansRecorded(bool otlpExporter, string? sampler) => otlpExporter || !string.IsNullOrEmpty(sampler);

    /// <summary>The trace sources a process listens to: all of them when spans are recorded, else the correlation ones.</summary>
    public static string[] TraceSources(bool spansRecorded) => spansRecorded ? [.. CorrelationSources, .. SpanSources] : CorrelationSources;
}
