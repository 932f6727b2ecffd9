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

    const int RtAppHistory = EpiGrid.WebHost.Api.RtApi.History;
}
