using EpiGrid.Grains.Telemetry;
using EpiGrid.Telemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace EpiGrid.Silo.Observability;

/// <summary>Section "Observability" of a silo.</summary>
public sealed record SiloObservabilityOptions
{
    public const string Section = "Observability";
    /// <summary>Port of the silo's Prometheus endpoint (/metrics; a silo has no web server of its own); 0: off.</summary>
    public int MetricsPort { get; init; }
    /// <summary>Interface of that endpoint and of the health endpoint: 127.0.0.1, or + for every interface (containers).</summary>
    public string MetricsHost { get; init; } = "127.0.0.1";
    /// <summary>Port of the silo's health endpoint (/health/live, /health/ready; <see cref="SiloHealth"/>); 0: off.</summary>
    public int HealthPort { get; init; }
    /// <summary>
    /// Tag combinations kept per metric (OpenTelemetry's cardinality limit, 2,000 when not set; each combination's
    /// point is allocated up front, about 70 bytes). A process hosting many silos and web hosts (the test run) lowers it:
    /// each host's reader also collects the instruments of the others, which share their meters' names.
    /// </summary>
    public int? MetricCardinalityLimit { get; init; }
    /// <summary>
    /// How often the Orleans dashboard's counters (its "silo counters" page) are collected; zero: never. Orleans
    /// collects them every second, and its activation gauges walk every activation each time: on a province of 85,000
    /// cells that was 40 % of an idle silo's CPU and 7 % of a busy one's (<see cref="DashboardCounters"/>).
    /// </summary>
    public TimeSpan DashboardCountersInterval { get; init; } = TimeSpan.FromSeconds(10);
}

public static class SiloTelemetry
{
    /// <summary>
    /// Metrics (EpiGrid's, Orleans', Npgsql's, .NET's runtime and HTTP), traces and logs through OpenTelemetry: Prometheus on <see cref="SiloObservabilityOptions.MetricsPort"/>, OTLP when
    /// OTEL_EXPORTER_OTLP_ENDPOINT is set. Log lines carry the trace id, which is the correlation id of the HTTP request
    /// that caused them (Orleans propagates it through grain calls).
    /// </summary>
    public static IHostApplicationBuilder AddEpiGridSiloTelemetry(this IHostApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(SiloObservabilityOptions.Section).Get<SiloObservabilityOptions>() ?? new();
        var otlp = !string.IsNullOrEmpty(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        builder.Logging.Configure(o => o.ActivityTrackingOptions = ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId);
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("epigrid-silo", serviceInstanceId: Environment.MachineName + ":" + Environment.ProcessId))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(TelemetryNames.Meters);
                if (options.MetricCardinalityLimit is > 0 and var limit) metrics.AddView(_ => new MetricStreamConfiguration { CardinalityLimit = limit });
                if (options.MetricsPort > 0)
                    metrics.AddPrometheusHttpListener(o => (o.Host, o.Port) = (options.MetricsHost, options.MetricsPort));
                if (otlp) metrics.AddOtlpExporter();
            })
            .WithTracing(tracing =>
            {
                // With nowhere to send spans, none is recorded: every grain call and every command was filling a span's
                // tags for nothing (a tenth of the silo's CPU per imported row, BENCHMARKS.md). Activities still carry their
                // ids, so log lines and events keep the request's trace id. OTEL_TRACES_SAMPLER, when set, decides.
                var recorded = TelemetryNames.SpansRecorded(otlp, builder.Configuration["OTEL_TRACES_SAMPLER"]);
                tracing.AddSource(TelemetryNames.TraceSources(recorded));
                if (otlp) tracing.AddOtlpExporter();
                if (!recorded) tracing.SetSampler(new AlwaysOffSampler());
            })
            // Log records, with their trace ids, to the same collector as metrics and traces (the console keeps its own).
            .WithLogging(logging => { if (otlp) logging.AddOtlpExporter(); }, o => (o.IncludeScopes, o.IncludeFormattedMessage) = (true, true));
        return builder;
    }
}
