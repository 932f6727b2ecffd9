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

    [Fact]
    public async Task An_audit_query_with_control_characters_in_its_parameters_is_answered_and_recorded_as_it_was_asked()
    {
        using var auditor = app.As(Roles.ProvinceOfficial);
        var before = await app.Database.Scalar<long>("select count(*) from epigrid.mt_events where stream_id = 'audit:test-province-official'");
        var response = await auditor.GetAsync("/api/v1/audit/events?kind=case_reported&note=a%00b%07c%1b");
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        (await app.Database.Scalar<long>("select count(*) from epigrid.mt_events where stream_id = 'audit:test-province-official'")).ShouldBe(before + 1);
        var recorded = await app.Database.Scalar<string>(
            "select data->'query'->>'note' from epigrid.mt_events where stream_id = 'audit:test-province-official' order by seq_id desc limit 1");
        recorded.ShouldBe("a\\u0000b\\u0007c\\u001B");
    }
}

