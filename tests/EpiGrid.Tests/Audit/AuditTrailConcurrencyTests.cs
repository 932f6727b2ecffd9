using System.Net;
using EpiGrid.Tests.Infrastructure;
using EpiGrid.WebHost.Auth;

namespace EpiGrid.Tests.Audit;

public sealed class AuditTrailConcurrencyTests(EpiGridApp app) : IClassFixture<EpiGridApp>
{
    [Fact]
    public async Task Simultaneous_audit_queries_of_one_auditor_are_all_answered_and_all_recorded()
    {
        using var auditor = app.As(Roles.Auditor);
        var responses = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => auditor.GetAsync($"/api/v1/audit/events?kind=case_reported&page={i + 1}")));
        responses.Select(r => r.StatusCode).ShouldAllBe(s => s == HttpStatusCode.OK);
        (await app.Database.Scalar<long>("select count(*) from epigrid.mt_events where stream_id = 'audit:test-auditor'")).ShouldBe(10);
    }
}
