using System.Net;
using EpiGrid.Tests.Infrastructure;
using EpiGrid.WebHost.Auth;

namespace EpiGrid.Tests.Api;

/// <summary>
/// Issue 14: a case id used in another county's cell must not reveal its existence to a caller without jurisdiction
/// there. Case ids are unique within a county (CaseRecord): the same id elsewhere is that county's own case.
/// </summary>
public sealed class CaseIdProbeTests(EpiGridApp app) : IClassFixture<EpiGridApp>
{
    const string Hangzhou = "330102-003-001", Ningbo = "330212-003-001";

    [Fact]
    public async Task A_case_id_held_by_another_county_is_not_revealed_by_a_conflict_it_is_this_countys_own_case()
    {
        await app.RegisterCell(Hangzhou);
        await app.RegisterCell(Ningbo);
        using var hangzhouWorker = app.As(Roles.GridWorker, cells: Hangzhou);
        using var ningboWorker = app.As(Roles.GridWorker, cells: Ningbo);
        (await app.ReportCase(hangzhouWorker, Hangzhou, "probe-1")).StatusCode.ShouldBe(HttpStatusCode.Created);

        var probe = await app.ReportCase(ningboWorker, Ningbo, "probe-1");

        var answer = await probe.Content.ReadAsStringAsync();
        probe.StatusCode.ShouldBe(HttpStatusCode.Created, answer);
        answer.ShouldNotContain(Hangzhou);
        answer.ShouldNotContain("330102");
        // Two counties, two cases: each county counts its own.
        await Eventually.True(async () => (await app.County("330212")).Int("confirmedTotal") == 1 && (await app.County("330102")).Int("confirmedTotal") == 1,
            TimeSpan.FromSeconds(10), "each county holds its own case probe-1");
        // Within one county the id stays unique.
        await app.RegisterCell("330212-003-002");
        using var ningboOfficial = app.As(Roles.CountyOfficial, "330212");
        (await app.ReportCase(ningboOfficial, "330212-003-002", "probe-1")).StatusCode.ShouldBe(HttpStatusCode.Conflict);
    }
}
