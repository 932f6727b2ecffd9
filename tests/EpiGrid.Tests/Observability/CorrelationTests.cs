using System.Net;
using EpiGrid.Tests.Infrastructure;

namespace EpiGrid.Tests.Observability;

/// <summary>
/// A request's trace id is its correlation id: the events it causes record it, and a problem answers it as traceId,
/// also when no span is recorded (no exporter is configured here, so none is: WebTelemetry, SiloTelemetry).
/// </summary>
public sealed class CorrelationTests(EpiGridApp app) : IClassFixture<EpiGridApp>
{
    [Fact]
    public async Task A_callers_trace_id_reaches_the_events_it_caused_and_the_problem_it_was_answered()
    {
        const string cell = "330782-001-031";
        await app.RegisterCell(cell);
        using var ingest = app.As("ingest");

        var traceId = Convert.ToHexStringLower(Guid.NewGuid().ToByteArray());
        ingest.DefaultRequestHeaders.Add("traceparent", $"00-{traceId}-0123456789abcdef-01");

        (await app.ReportCase(ingest, cell, "corr-1")).StatusCode.ShouldBe(HttpStatusCode.Created);
        var recorded = await app.Database.Scalar<long>(
            $"select count(*) from epigrid.mt_events where stream_id = 'cell:{cell}' and type = 'case_reported' and data::text like '%{traceId}%'");
        recorded.ShouldBe(1, "the case's event records the request's trace id");

        var answer = await app.ReportCase(ingest, cell, "corr-2", kind: "not-a-kind");
        answer.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await answer.Body())["traceId"]!.GetValue<string>().ShouldContain(traceId);
    }
}
