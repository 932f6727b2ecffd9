using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using EpiGrid.Tests.Infrastructure;
using EpiGrid.WebHost.Auth;

namespace EpiGrid.Tests.Officials;

/// <summary>The platform on 10 February 2020, two days before zhejiang-5's second version took effect.</summary>
public sealed class February10App : EpiGridApp
{
    public static readonly DateTimeOffset February10 = new(2020, 2, 10, 10, 0, 0, TimeSpan.FromHours(8));
    protected override DateTimeOffset ClockStart => February10;
}

/// <summary>
/// Rules as they were in force (issue 17): the live county judges each day by the version of zhejiang-5 in force that
/// day and each colour change it records names that version; replay of a day judges it by the same version.
/// </summary>
public sealed class RulesInForceTests(February10App app) : IClassFixture<February10App>
{
    const string Nanhu = "330402", Cell = "330402-601-001";

    [Fact]
    public async Task The_9_February_version_judges_10_February_and_the_12_February_version_13_February_live_and_in_replay()
    {
        await app.RegisterCell(Cell);
        using var ingest = app.As(Roles.Ingest);
        for (var i = 0; i < 4; i++)
            (await app.ReportCase(ingest, Cell, $"rif-{i}", clusterId: "rif-cluster", occurredAt: app.Clock.GetUtcNow().AddMinutes(-5 * i)))
                .StatusCode.ShouldBe(HttpStatusCode.Created);
        // Read the colour once the county holds all four cases (it hears its cells through a stream).
        await Eventually.True(async () => await app.County(Nanhu) is var c && c.Int("confirmedTotal") == 4 && Version(c).StartsWith("2020-02-09.1+"),
            TimeSpan.FromSeconds(15), "the live county judged 10 February's four cases by the 9 February version");
        var colourOn10 = (await app.County(Nanhu)).ColourUnder("zhejiang-5");
        colourOn10.ShouldNotBe("green");

        // Three quiet days later the second version is in force: the live county says so, and records it.
        app.Clock.Advance(TimeSpan.FromDays(3));
        await Eventually.True(async () => Version(await app.County(Nanhu)).StartsWith("2020-02-12.2+"), TimeSpan.FromSeconds(15),
            "the live county judged 13 February by the 12 February version");

        using var auditor = app.As(Roles.Auditor);
        JsonArray changes = [];
        await Eventually.True(async () =>
        {
            var page = await auditor.GetFromJsonAsync<JsonObject>($"/api/v1/audit/events?stream=county:{Nanhu}&pageSize=100");
            changes = new JsonArray(page!["events"]!.AsArray()
                .Where(e => e!["data"]!["ruleSet"]?.GetValue<string>() == "zhejiang-5").Select(e => e!.DeepClone()).ToArray());
            return changes.Count >= 2;
        }, TimeSpan.FromSeconds(10), "two zhejiang-5 colour changes recorded");
        var versions = changes.Select(e => e!["data"]!["ruleVersion"]!.GetValue<string>().Split('+')[0]).ToList();
        versions.First().ShouldBe("2020-02-09.1");
        versions.Last().ShouldBe("2020-02-12.2");
        changes.Last()!["reason"]!.GetValue<string>().ShouldContain("2020-02-12.2");

        // The colour changed with the new version: the alert names the measures that now apply, and so does the county.
        var live = await app.County(Nanhu);
        var measures = live["measures"]!;
        measures["colour"]!.GetValue<string>().ShouldBe(live.ColourUnder("zhejiang-5"));
        measures["items"]!.AsArray().ShouldNotBeEmpty();
        if (live.ColourUnder("zhejiang-5") != colourOn10)
        {
            using var official = app.As(Roles.CountyOfficial, Nanhu);
            JsonObject? alert = null;
            await Eventually.True(async () =>
            {
                var alerts = await official.GetFromJsonAsync<JsonArray>($"/api/v1/alerts?county={Nanhu}");
                alert = alerts!.Select(a => a!.AsObject()).LastOrDefault(a => a["kind"]!.GetValue<string>() == "county-colour-changed");
                return alert is not null;
            }, TimeSpan.FromSeconds(10), "the colour-change alert");
            alert!["subject"]!["to"]!.GetValue<string>().ShouldBe(live.ColourUnder("zhejiang-5"));
            alert["subject"]!["ruleVersion"]!.GetValue<string>().ShouldStartWith("2020-02-12.2+");
            alert["subject"]!["measures"]!.GetValue<string>().ShouldBe(string.Join("; ", measures["items"]!.AsArray().Select(m => m!["en"]!.GetValue<string>())));
            alert["message"]!.GetValue<string>().ShouldContain("Measures now: " + measures["items"]![0]!["en"]!.GetValue<string>());
        }

        // Replay: 10 February as it stood (9 February version), 13 February (12 February version).
        var on10 = await (await auditor.GetAsync($"/api/v1/counties/{Nanhu}?asOf={Q(February10App.February10.AddHours(2))}")).Body();
        Version(on10).ShouldStartWith("2020-02-09.1+");
        on10.ColourUnder("zhejiang-5").ShouldBe(colourOn10);
        var on13 = await (await auditor.GetAsync($"/api/v1/counties/{Nanhu}?asOf={Q(February10App.February10.AddDays(3).AddMinutes(1))}")).Body();
        Version(on13).ShouldStartWith("2020-02-12.2+");
        on13.ColourUnder("zhejiang-5").ShouldBe((await app.County(Nanhu)).ColourUnder("zhejiang-5"));

        // The explanation of 13 February names the version in force that day.
        var why = await (await auditor.GetAsync($"/api/v1/audit/counties/{Nanhu}/colours/zhejiang-5?at={Q(February10App.February10.AddDays(3).AddMinutes(1))}")).Body();
        why["ruleVersion"]!.GetValue<string>().ShouldStartWith("2020-02-12.2+");

        // What-if with one version over the whole period judges every day by it.
        var whatIf = await auditor.PostAsJsonAsync("/api/v1/audit/what-if", new
        {
            ruleSet = "zhejiang-5", ruleVersion = "2020-02-09.1",
            from = February10App.February10.AddHours(-1), to = February10App.February10.AddDays(3).AddMinutes(1),
        });
        whatIf.StatusCode.ShouldBe(HttpStatusCode.OK, await whatIf.Content.ReadAsStringAsync());
        var timeline = (await whatIf.Body())["counties"]![Nanhu]!.AsArray();
        timeline.ShouldAllBe(c => c!["ruleVersion"]!.GetValue<string>().StartsWith("2020-02-09.1+"));
        var unknown = await auditor.PostAsJsonAsync("/api/v1/audit/what-if", new
        {
            ruleSet = "zhejiang-5", ruleVersion = "2020-02-10.1", from = February10App.February10.AddHours(-1), to = February10App.February10,
        });
        unknown.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await unknown.Body())["errors"]!["ruleVersion"].ShouldNotBeNull();

        // GET /rules lists the versions with the day each took effect, and which is in force today.
        var rules = await (await app.As(Roles.CountyOfficial, Nanhu).GetAsync("/api/v1/rules")).Body();
        var zhejiang = rules["ruleSets"]!.AsArray().Single(r => r!["name"]!.GetValue<string>() == "zhejiang-5")!;
        zhejiang["effectiveFrom"]!.GetValue<string>().ShouldBe("2020-02-12");
        zhejiang["versions"]!.AsArray().Select(v => (v!["effectiveFrom"]!.GetValue<string>(), v["inForce"]!.GetValue<bool>()))
            .ShouldBe([("2020-02-09", false), ("2020-02-12", true)]);
    }

    static string Version(JsonObject county) => county["colours"]!["zhejiang-5"]!["ruleVersion"]!.GetValue<string>();

    static string Q(DateTimeOffset at) => Uri.EscapeDataString(at.ToString("O"));
}
