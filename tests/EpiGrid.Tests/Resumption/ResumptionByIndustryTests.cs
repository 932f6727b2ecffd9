using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using EpiGrid.Tests.Infrastructure;

namespace EpiGrid.Tests.Resumption;

/// <summary>
/// Resumption by industry (issue 17): with by=industry every day's answer carries each industry's figures, computed
/// from the same readings by the same rule as the total, so the industries' enterprises and resumed add up to it.
/// Each test uses its own counties and days, so the province's figures of a day are those the test sent.
/// </summary>
public sealed class ResumptionByIndustryTests(ResumptionApp app) : IClassFixture<ResumptionApp>
{
    /// <summary>Five enterprises of three industries with readings and one without (id, industry, baseline, kWh).</summary>
    static readonly (string Id, string Industry, double Baseline, double? Kwh)[] Yiwu =
    [
        ("iy-t1", "textiles", 100, 50),    // resumed: 50 ≥ 30
        ("iy-t2", "textiles", 200, 20),    // not: 20 < 60
        ("iy-t3", "textiles", 100, null),  // no reading: not counted
        ("iy-m1", "machinery", 1000, 300), // resumed: exactly 30%
        ("iy-m2", "machinery", 500, 0),
        ("iy-l1", "logistics", 50, 40),
    ];

    [Fact]
    public async Task A_countys_figures_by_industry_are_each_industrys_readings_under_the_same_rule_and_add_up_to_the_total()
    {
        const string county = "330782";
        await Register(county, Yiwu);
        using var ingest = app.As("ingest");
        await app.Upload(ingest, ResumptionApp.Csv(Csv("2020-02-10", Yiwu)));
        using var worker = app.As("grid-worker", cells: "330782-001-001");

        var plain = await Get(worker, $"/api/v1/counties/{county}/resumption?day=2020-02-10");
        var figures = await Get(worker, $"/api/v1/counties/{county}/resumption?day=2020-02-10&by=industry");

        plain.ContainsKey("industries").ShouldBeFalse("without by the answer is as before");
        // By hand: textiles 2 with readings, 1 resumed, 70 of 300 kWh; machinery 2, 1, 300 of 1,500; logistics 1, 1, 40 of 50.
        Industries(figures).ShouldBe([
            ("logistics", 1, 1, 1.0, 0.8, 90.0),
            ("machinery", 2, 1, 0.5, 0.2, 35.0),
            ("textiles", 2, 1, 0.5, R(70.0 / 300), 36.67)]);
        figures.Int("enterprises").ShouldBe(5);
        figures.Int("resumed").ShouldBe(3);
        figures["productionRate"]!.GetValue<double>().ShouldBe(410.0 / 1850, 1e-12);
        figures["index"]!.GetValue<double>().ShouldBe(41.08);
        AddsUp(figures);
        var total = figures.DeepClone().AsObject();
        total.Remove("industries");
        total.ToJsonString().ShouldBe(plain.ToJsonString());
    }

    [Fact]
    public async Task The_provinces_figures_by_industry_sum_every_countys_enterprises()
    {
        await Register("330781", Yiwu.Select(e => e with { Id = "lx" + e.Id[2..] }).ToArray());
        (string, string, double, double?)[] wucheng = [("wc-c1", "chemicals", 400, 100), ("wc-t1", "textiles", 100, 100)];
        await Register("330702", wucheng);
        using var ingest = app.As("ingest");
        await app.Upload(ingest, ResumptionApp.Csv(Csv("2020-02-07", Yiwu.Select(e => e with { Id = "lx" + e.Id[2..] }).ToArray())));
        await app.Upload(ingest, ResumptionApp.Csv(Csv("2020-02-07", wucheng)));
        using var official = app.As("province-official");

        JsonObject day = null!;
        await Eventually.True(async () => (day = await Get(official, "/api/v1/province/resumption?day=2020-02-07&by=industry")).Int("enterprises") == 7,
            TimeSpan.FromSeconds(10));
        var history = await Get(official, "/api/v1/province/resumption/history?from=2020-02-07&to=2020-02-07&by=industry");
        var plain = await Get(official, "/api/v1/province/resumption?day=2020-02-07");

        Industries(day).ShouldBe([
            ("chemicals", 1, 0, 0.0, 0.25, 12.5),
            ("logistics", 1, 1, 1.0, 0.8, 90.0),
            ("machinery", 2, 1, 0.5, 0.2, 35.0),
            ("textiles", 3, 2, R(2.0 / 3), 0.425, Math.Round(100 * (2.0 / 3 + 0.425) / 2, 2))]);
        day.Int("resumed").ShouldBe(4);
        AddsUp(day);
        Industries(history["days"]!.AsArray().Single()!.AsObject()).ShouldBe(Industries(day));
        day["cities"]!.AsArray().ShouldAllBe(c => !c!.AsObject().ContainsKey("industries"));
        plain.ContainsKey("industries").ShouldBeFalse();
    }

    [Fact]
    public async Task The_history_by_industry_covers_past_days_survives_a_silo_restart_and_follows_a_change_of_industry()
    {
        const string county = "330783";
        var dongyang = Yiwu.Select(e => e with { Id = "dy" + e.Id[2..] }).ToArray();
        await Register(county, dongyang);
        using var ingest = app.As("ingest");
        await app.Upload(ingest, ResumptionApp.Csv(Csv("2020-02-12", dongyang)));
        await app.Upload(ingest, ResumptionApp.Csv("enterpriseId,day,kwh\ndy-t1,2020-02-13,100\ndy-m2,2020-02-13,400\ndy-l1,2020-02-14,5\n"));
        using var auditor = app.As("auditor");
        var range = $"/api/v1/counties/{county}/resumption/history?from=2020-02-12&to=2020-02-14&by=industry";
        const string provinceRange = "/api/v1/province/resumption/history?from=2020-02-12&to=2020-02-14&by=industry";

        var before = await Get(auditor, range);
        JsonObject province = null!;
        await Eventually.True(async () => (province = await Get(auditor, provinceRange))["days"]!.AsArray().Count == 3, TimeSpan.FromSeconds(10));

        before["days"]!.AsArray().Select(d => Industries(d!.AsObject()).Select(i => (i.Industry, i.Enterprises, i.Resumed)).ToList()).ShouldBe([
            [("logistics", 1, 1), ("machinery", 2, 1), ("textiles", 2, 1)],
            [("machinery", 1, 1), ("textiles", 1, 1)],
            [("logistics", 1, 0)]]);
        foreach (var d in before["days"]!.AsArray()) AddsUp(d!.AsObject());
        Days(province).ShouldBe(Days(before), "only this county has readings on these days");
        var csv = await auditor.GetStringAsync(range + "&format=csv");
        csv.Split('\n', StringSplitOptions.RemoveEmptyEntries)[..3].ShouldBe([
            "day,industry,enterprises,resumed,resumptionRate,productionRate,index,ruleVersion",
            "2020-02-12,,5,3,0.6,0.221622,41.08,2020-02-19.1+r0.3",
            "2020-02-12,logistics,1,1,1,0.8,90.00,2020-02-19.1+r0.3"]);

        // The figures are rebuilt from the store: the county from its registers, the province from the counties.
        await app.RestartSilo();
        (await Get(auditor, range)).ToJsonString().ShouldBe(before.ToJsonString());
        (await Get(auditor, provinceRange)).ToJsonString().ShouldBe(province.ToJsonString());

        // The logistics enterprise turns out to be machinery: every day it has readings on moves, the province too;
        // the history as known before the change keeps the industry it was registered under then.
        var changedAt = app.Clock.GetUtcNow();
        app.Clock.Advance(TimeSpan.FromMinutes(5));
        (await ingest.PutAsJsonAsync("/api/v1/enterprises/dy-l1",
            new { county, name = "Enterprise dy-l1", industry = "machinery", baselineKwhPerDay = 50 })).StatusCode.ShouldBe(HttpStatusCode.OK);
        var after = await Get(auditor, range);
        var knownBefore = await Get(auditor, range + "&knownAt=" + Uri.EscapeDataString(changedAt.ToString("O")));

        Industries(after["days"]![0]!.AsObject()).Select(i => (i.Industry, i.Enterprises, i.Resumed)).ShouldBe([("machinery", 3, 2), ("textiles", 2, 1)]);
        Industries(after["days"]![2]!.AsObject()).Select(i => i.Industry).ShouldBe(["machinery"]);
        knownBefore.ToJsonString().ShouldBe(before.ToJsonString());
        await Eventually.True(async () => Days(await Get(auditor, provinceRange)) == Days(after),
            TimeSpan.FromSeconds(10), "the province learns of the change of industry");
    }

    [Theory]
    [InlineData("/api/v1/counties/330782/resumption?by=")]
    [InlineData("/api/v1/counties/330782/resumption/history?by=")]
    [InlineData("/api/v1/province/resumption?by=")]
    [InlineData("/api/v1/province/resumption/history?by=")]
    public async Task Any_other_by_is_refused_naming_by(string path)
    {
        using var official = app.As("province-official");
        foreach (var by in new[] { "county", "Industry", "industries", "industry,county" })
        {
            var response = await official.GetAsync(path + Uri.EscapeDataString(by));

            response.StatusCode.ShouldBe(HttpStatusCode.BadRequest, by);
            response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
            (await response.Body())["errors"]!.AsObject().Select(e => e.Key).ShouldBe(["by"], by);
        }
    }

    async Task Register(string county, IEnumerable<(string Id, string Industry, double Baseline, double? Kwh)> enterprises)
    {
        foreach (var e in enterprises) await app.RegisterEnterprise(e.Id, county, e.Baseline, industry: e.Industry);
    }

    static string Csv(string day, IEnumerable<(string Id, string Industry, double Baseline, double? Kwh)> enterprises) =>
        "enterpriseId,day,kwh\n" + string.Concat(enterprises.Where(e => e.Kwh is not null).Select(e => $"{e.Id},{day},{e.Kwh}\n"));

    static List<(string Industry, int Enterprises, int Resumed, double ResumptionRate, double ProductionRate, double Index)> Industries(JsonObject day) =>
        day["industries"]!.AsArray().Select(i => (i!["industry"]!.GetValue<string>(), i.AsObject().Int("enterprises"), i.AsObject().Int("resumed"),
            R(i["resumptionRate"]!.GetValue<double>()), R(i["productionRate"]!.GetValue<double>()), i["index"]!.GetValue<double>())).ToList();

    static double R(double rate) => Math.Round(rate, 9);

    /// <summary>A history's days without the county's code, to set a county's beside the province's.</summary>
    static string Days(JsonObject history) => new JsonArray(history["days"]!.AsArray()
        .Select(d => { var day = d!.DeepClone().AsObject(); day.Remove("code"); return (JsonNode)day; }).ToArray()).ToJsonString();

    static void AddsUp(JsonObject day)
    {
        var industries = day["industries"]!.AsArray().Select(i => i!.AsObject()).ToList();
        industries.Sum(i => i.Int("enterprises")).ShouldBe(day.Int("enterprises"));
        industries.Sum(i => i.Int("resumed")).ShouldBe(day.Int("resumed"));
        industries.Select(i => i["industry"]!.GetValue<string>()).ShouldBe(industries.Select(i => i["industry"]!.GetValue<string>()).Order(StringComparer.Ordinal));
    }

    static async Task<JsonObject> Get(HttpClient client, string path)
    {
        var response = await client.GetAsync(path);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await response.Body();
    }
}
