using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using EpiGrid.People;
using EpiGrid.Tests.Infrastructure;
using EpiGrid.Tests.Rules;
using EpiGrid.WebHost.Auth;

namespace EpiGrid.Tests.Officials;

public sealed class RtApp : EpiGridApp;

/// <summary>Rt through the API (issue 21): the incidence is the epidemic curve's, and the estimate is EpiEstim's on it.</summary>
public sealed class RtTests(RtApp app) : IClassFixture<RtApp>
{
    const string Haining = "330481", Growing = "330481-101-001", Haiyan = "330424", Quiet = "330424-101-001";

    [Fact]
    public async Task A_county_doubling_every_4_days_reads_clearly_above_1_as_EpiEstim_computes_it_and_a_quiet_one_has_no_estimate()
    {
        await app.RegisterCell(Growing);
        await app.RegisterCell(Quiet);
        using var ingest = app.As(Roles.Ingest);
        var today = DateOnly.FromDateTime(app.Clock.GetUtcNow().ToOffset(TimeSpan.FromHours(8)).DateTime);
        var first = today.AddDays(-20);
        for (var d = 0; d < 20; d++)
        {
            var noon = new DateTimeOffset(first.AddDays(d).ToDateTime(new TimeOnly(12, 0)), TimeSpan.FromHours(8));
            for (var i = 0; i < (int)Math.Round(2 * Math.Pow(2, d / 4.0)); i++)
                (await app.ReportCase(ingest, Growing, $"rt-{d}-{i}", occurredAt: noon.AddMinutes(i))).StatusCode.ShouldBe(HttpStatusCode.Created);
        }
        (await app.ReportCase(ingest, Quiet, "rt-quiet-1", occurredAt: app.Clock.GetUtcNow().AddDays(-3))).StatusCode.ShouldBe(HttpStatusCode.Created);

        using var official = app.As(Roles.CountyOfficial, Haining);
        var range = $"from={first:yyyy-MM-dd}&to={today.AddDays(-1):yyyy-MM-dd}";
        var rt = await (await official.GetAsync($"/api/v1/counties/{Haining}/rt?{range}")).Body();
        var curve = await (await official.GetAsync($"/api/v1/counties/{Haining}/epicurve?from={first.AddDays(-RtAppHistory):yyyy-MM-dd}&to={today.AddDays(-1):yyyy-MM-dd}")).Body();

        rt["serialInterval"]!["mean"]!.GetValue<double>().ShouldBe(4.7);
        rt["window"]!.GetValue<int>().ShouldBe(7);
        rt["ruleVersion"]!.GetValue<string>().ShouldBe("2013-cori.1+si4.7/2.9");
        var items = rt["items"]!.AsArray();
        items.Count.ShouldBe(20);
        var incidence = curve["days"]!.AsArray().Select(d => d!["confirmed"]!.GetValue<int>()).ToList();
        incidence.Sum().ShouldBe(Enumerable.Range(0, 20).Sum(d => (int)Math.Round(2 * Math.Pow(2, d / 4.0))));
        var last = items[^1]!;
        last["lower"]!.GetValue<double>().ShouldBeGreaterThan(1, "doubling every 4 days: clearly above 1");

        // The same incidence through EpiEstim gives the same estimates.
        var (fromR, reference) = await ReproductionNumberTests.EpiEstim(string.Join(",", incidence), 4.7, 2.9);
        fromR.ShouldBe(incidence);
        var firstDay = first.AddDays(-RtAppHistory);
        foreach (var item in items.Where(i => i!["mean"] is not null))
        {
            var t = DateOnly.Parse(item!["day"]!.GetValue<string>()).DayNumber - firstDay.DayNumber + 1;
            var (_, mean, lower, upper) = reference.Single(r => r.Item1 == t);
            ReproductionNumberTests.Relative(item["mean"]!.GetValue<double>(), mean).ShouldBeLessThan(1e-6);
            ReproductionNumberTests.Relative(item["lower"]!.GetValue<double>(), lower).ShouldBeLessThan(1e-6);
            ReproductionNumberTests.Relative(item["upper"]!.GetValue<double>(), upper).ShouldBeLessThan(1e-6);
        }
        var projection = rt["projection"]!.AsArray();
        projection.Count.ShouldBe(7);
        projection[0]!["expected"]!.GetValue<double>().ShouldBeGreaterThan(incidence[^1], "growth continues in the projection");

        var quiet = await (await official.GetAsync($"/api/v1/counties/{Haiyan}/rt")).Body();
        quiet["items"]!.AsArray().ShouldAllBe(i => i!["mean"] == null, "one case: no estimate rather than a wild one");
        quiet["projection"]!.AsArray().ShouldBeEmpty();

        foreach (var (q, field) in new[] { ("window=1", "window"), ("window=abc", "window"), ("by=week", "by"), ("from=2020-13-01", "from") })
        {
            var bad = await official.GetAsync($"/api/v1/counties/{Haining}/rt?{q}");
            bad.StatusCode.ShouldBe(HttpStatusCode.BadRequest, q);
            (await bad.Body())["errors"]![field].ShouldNotBeNull(q);
        }
        (await official.GetAsync("/api/v1/counties/339999/rt")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await (await official.GetAsync("/api/v1/province/rt")).Body())["items"]!.AsArray().Count.ShouldBe(28);
    }

    [Fact]
    public async Task Rt_as_known_at_a_moment_leaves_out_later_reports_and_the_province_ranks_the_counties_with_an_estimate()
    {
        const string Tongxiang = "330483", Cell = "330483-101-001", Pinghu = "330482", PinghuCell = "330482-101-001";
        await app.RegisterCell(Cell);
        await app.RegisterCell(PinghuCell);
        using var ingest = app.As(Roles.Ingest);
        var today = DateOnly.FromDateTime(app.Clock.GetUtcNow().ToOffset(TimeSpan.FromHours(8)).DateTime);
        var (first, yesterday) = (today.AddDays(-20), today.AddDays(-1));
        DateTimeOffset Noon(DateOnly day) => new(day.ToDateTime(new TimeOnly(12, 0)), TimeSpan.FromHours(8));
        for (var d = 0; d < 20; d++)
        for (var i = 0; i < 8; i++) // steady: 8 a day, Rt about 1
            (await app.ReportCase(ingest, Cell, $"tx-{d}-{i}", occurredAt: Noon(first.AddDays(d)).AddMinutes(i))).StatusCode.ShouldBe(HttpStatusCode.Created);
        (await app.ReportCase(ingest, PinghuCell, "ph-1", occurredAt: Noon(yesterday))).StatusCode.ShouldBe(HttpStatusCode.Created);

        using var auditor = app.As(Roles.Auditor);
        var range = $"from={first:yyyy-MM-dd}&to={yesterday:yyyy-MM-dd}";
        var before = await (await auditor.GetAsync($"/api/v1/counties/{Tongxiang}/rt?{range}")).Body();
        var rankedBefore = await (await auditor.GetAsync($"/api/v1/province/rt/counties?day={yesterday:yyyy-MM-dd}")).Body();
        var knownAt = Uri.EscapeDataString(app.Clock.GetUtcNow().ToString("O"));
        app.Clock.Advance(TimeSpan.FromMinutes(5));
        // Late reports of the last three days: the live estimate rises; as known before them, it is what it was.
        for (var d = 17; d < 20; d++)
        for (var i = 0; i < 10; i++)
            (await app.ReportCase(ingest, Cell, $"tx-late-{d}-{i}", occurredAt: Noon(first.AddDays(d)).AddMinutes(30 + i))).StatusCode.ShouldBe(HttpStatusCode.Created);

        var live = await (await auditor.GetAsync($"/api/v1/counties/{Tongxiang}/rt?{range}")).Body();
        var then = await (await auditor.GetAsync($"/api/v1/counties/{Tongxiang}/rt?{range}&knownAt={knownAt}")).Body();
        double LastMean(JsonNode rt) => rt["items"]!.AsArray()[^1]!["mean"]!.GetValue<double>();
        LastMean(live).ShouldBeGreaterThan(LastMean(before) + 0.3, "30 more cases in the last window (EpiEstim: 1.02 before, 1.48 after)");
        then["items"]!.ToJsonString().ShouldBe(before["items"]!.ToJsonString(), "as known then: the estimate computable then");
        then["projection"]!.ToJsonString().ShouldBe(before["projection"]!.ToJsonString());
        (await (await auditor.GetAsync($"/api/v1/counties/{Tongxiang}/epicurve?{range}&knownAt={knownAt}")).Body())["days"]!.AsArray()
            .Sum(d => d!["confirmed"]!.GetValue<int>()).ShouldBe(160, "the curve as known then: 8 a day for 20 days");
        (await (await auditor.GetAsync($"/api/v1/counties/{Tongxiang}/epicurve?{range}")).Body())["days"]!.AsArray()
            .Sum(d => d!["confirmed"]!.GetValue<int>()).ShouldBe(190);

        // The ranking: each county's estimate on the day, as /rt gives it; Pinghu's one case gives none.
        var ranked = await (await auditor.GetAsync($"/api/v1/province/rt/counties?day={yesterday:yyyy-MM-dd}")).Body();
        ranked["day"]!.GetValue<string>().ShouldBe($"{yesterday:yyyy-MM-dd}");
        var items = ranked["items"]!.AsArray();
        items.Select(i => i!["mean"]!.GetValue<double>()).ShouldBeInOrder(SortDirection.Descending);
        var tongxiang = items.Single(i => i!["county"]!.GetValue<string>() == Tongxiang)!;
        tongxiang["mean"]!.GetValue<double>().ShouldBe(LastMean(live));
        tongxiang["lower"]!.GetValue<double>().ShouldBe(live["items"]!.AsArray()[^1]!["lower"]!.GetValue<double>());
        tongxiang["cases"]!.GetValue<int>().ShouldBe(7 * 8 + 30);
        tongxiang["nameZh"]!.GetValue<string>().ShouldBe("桐乡市");
        items.ShouldNotContain(i => i!["county"]!.GetValue<string>() == Pinghu, "one case: no estimate, not ranked");
        ranked["withoutEstimate"]!.GetValue<int>().ShouldBe(90 - items.Count);
        var rankedThen = await (await auditor.GetAsync($"/api/v1/province/rt/counties?day={yesterday:yyyy-MM-dd}&knownAt={knownAt}")).Body();
        rankedThen["items"]!.ToJsonString().ShouldBe(rankedBefore["items"]!.ToJsonString());

        // Rt as of a moment is history: an official of another county may read the live figures but not the replay.
        using var elsewhere = app.As(Roles.CountyOfficial, "330106");
        (await elsewhere.GetAsync($"/api/v1/counties/{Tongxiang}/rt?{range}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await elsewhere.GetAsync($"/api/v1/counties/{Tongxiang}/rt?{range}&knownAt={knownAt}")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        foreach (var (q, field) in new[] { ("day=2020-02-30", "day"), ("window=0", "window"), ("by=day", "by"), ("asOf=1900-01-01T00:00:00Z", "asOf") })
        {
            var bad = await auditor.GetAsync($"/api/v1/province/rt/counties?{q}");
            bad.StatusCode.ShouldBe(HttpStatusCode.BadRequest, q);
            (await bad.Body())["errors"]![field].ShouldNotBeNull(q);
        }
    }

    const int RtAppHistory = EpiGrid.WebHost.Api.RtApi.History;
}
