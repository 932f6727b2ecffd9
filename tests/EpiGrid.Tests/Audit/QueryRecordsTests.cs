using System.Net;
using EpiGrid.Tests.Infrastructure;
using EpiGrid.WebHost.Auth;

namespace EpiGrid.Tests.Audit;

/// <summary>
/// Who asked what is recorded through the silo's event log like every other event (the web host writes nothing
/// itself), and a query whose record the store cannot take now is not answered: 503, nothing shown unrecorded.
/// </summary>
public sealed class QueryRecordsTests(StoreBlipApp app) : IClassFixture<StoreBlipApp>
{
    const string Stream = "audit:test-auditor";

    [Fact]
    public async Task A_query_the_event_log_cannot_record_is_refused_with_503_and_answered_once_it_can()
    {
        using var auditor = app.As(Roles.Auditor);
        var before = await Recorded();

        app.Blip.Fail(w => w.StreamKey == Stream);
        try
        {
            var refused = await auditor.GetAsync("/api/v1/audit/events?kind=case_reported");
            refused.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
            refused.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
            (await refused.Content.ReadAsStringAsync()).ShouldNotContain("\"events\"");
            refused.Headers.RetryAfter.ShouldNotBeNull();
            app.Blip.Refused.ShouldBeGreaterThan(0, "the record went through the silo's event log");
        }
        finally
        {
            app.Blip.End();
        }
        (await Recorded()).ShouldBe(before);

        (await auditor.GetAsync("/api/v1/audit/events?kind=case_reported")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await Recorded()).ShouldBe(before + 1);
    }

    Task<long> Recorded() => app.Database.Scalar<long>($"select count(*) from epigrid.mt_events where stream_id = '{Stream}'");
}
