using System.Net;
using System.Net.Http.Json;
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
        using (var report = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/cells/{cell}/cases")
               {
                   Content = JsonContent.Create(new { caseId = "corr-1", kind = "confirmed", local = true, occurredAt = app.Clock.GetUtcNow().ToString("O") }),
               })
        {
            report.Headers.Add("traceparent", $"00-{traceId}-0123456789abcdef-01");
            (await ingest.SendAsync(report)).StatusCode.ShouldBe(HttpStatusCode.Created);
        }
        var recorded = await app.Database.Scalar<long>(
            $"select count(*) from epigrid.mt_events where stream_id = 'cell:{cell}' and type = 'case_reported' and data::text like '%{traceId}%'");
        recorded.ShouldBe(1, "the case's event records the request's trace id");

        using var refused = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/cells/{cell}/cases")
        {
            Content = JsonContent.Create(new { caseId = "corr-2", kind = "not-a-kind", local = true }),
        };
        refused.Headers.Add("traceparent", $"00-{traceId}-fedcba9876543210-01");
        var answer = await ingest.SendAsync(refused);
        answer.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await answer.Body())["traceId"]!.GetValue<string>().ShouldContain(traceId);
    }
}
