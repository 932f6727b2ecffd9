using EpiGrid.Telemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace EpiGrid.WebHost.Observability;

/// <summary>
/// Metrics, traces and logs through OpenTelemetry: Prometheus at /metrics, OTLP (all three) when OTEL_EXPORTER_OTLP_ENDPOINT is set.
/// A request's trace id is its correlation id: problems answer it as traceId, events record it (EventMeta.CorrelationId),
/// Orleans carries it into grain calls (activity propagation) and every log line, in the web host and the silos, names it.
/// </summary>
public static class WebTelemetry
{
    public const string MetricsPath = "/metrics";

    public static WebApplicationBuilder AddEpiGridTelemetry(this WebApplicationBuilder builder)
    {
        var otlp = !string.IsNullOrEmpty(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        builder.Logging.Configure(o => o.ActivityTrackingOptions = ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId);
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("epigrid-web", serviceInstanceId: Environment.MachineName + ":" + Environment.ProcessId))
            .WithMetrics(metrics =>
            {
                // ASP.NET Core's own meters: request rate and duration per route, SignalR connections, the rate limiter's
                // leases and rejections, routing and unhandled exceptions (with EpiGrid's, Orleans' and .NET's).
                metrics.AddMeter(TelemetryNames.Meters)
                    .AddMeter("Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "Microsoft.AspNetCore.Http.Connections",
                        "Microsoft.AspNetCore.RateLimiting", "Microsoft.AspNetCore.Routing", "Microsoft.AspNetCore.Diagnostics")
                    .AddPrometheusExporter();
                // Tag combinations kept per metric (2,000 when not set): Observability:MetricCardinalityLimit, as on a silo.
                if (builder.Configuration.GetValue<int?>("Observability:MetricCardinalityLimit") is > 0 and var limit)
                    metrics.AddView(_ => new MetricStreamConfiguration { CardinalityLimit = limit });
                if (otlp) metrics.AddOtlpExporter();
            })
            .WithTracing(tracing =>
            {
                // No exporter, no recorded spans (ids still flow to logs and events), as on a silo (SiloTelemetry).
                var recorded = TelemetryNames.SpansRecorded(otlp, builder.Configuration["OTEL_TRACES_SAMPLER"]);
                tracing.AddSource(TelemetryNames.TraceSources(recorded)).AddSource("Microsoft.AspNetCore", "Microsoft.AspNetCore.SignalR.Server");
                if (otlp) tracing.AddOtlpExporter();
                if (!recorded) tracing.SetSampler(new AlwaysOffSampler());
            })
            // Log records, with their trace ids, to the same collector as metrics and traces (the console keeps its own).
            .WithLogging(logging => { if (otlp) logging.AddOtlpExporter(); }, o => (o.IncludeScopes, o.IncludeFormattedMessage) = (true, true));
        return builder;
    }

    /// <summary>Prometheus scrapes /metrics; keep it inside the cluster network (the ingress does not route it).</summary>
    public static WebApplication MapEpiGridTelemetry(this WebApplication app)
    {
        app.MapPrometheusScrapingEndpoint(MetricsPath);
        return app;
    }
}
