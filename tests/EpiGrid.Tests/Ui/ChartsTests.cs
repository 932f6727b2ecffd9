using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using EpiGrid.Tests.Infrastructure;
using EpiGrid.WebHost.Auth;
using Microsoft.Playwright;

namespace EpiGrid.Tests.Ui;

/// <summary>
/// The charts (ECharts, loaded only where needed) and the line list (issue 17) in Chromium: every figure drawn is read back
/// from the chart (its option) or the table and compared with what the API answers for the same query, under the strict
/// Content-Security-Policy.
/// </summary>
public sealed class ChartsTests(UiApp app) : IClassFixture<UiApp>
{
    static readonly string[] Kinds = ["confirmed", "suspected", "asymptomatic"];

    /// <summary>A page that records every CSP violation Chromium reports.</summary>
    async Task<IPage> Open(string role, ViewportSize viewport, string? county = null, string lang = "zh")
    {
        var page = await app.Browser.Open(app.BaseAddress, viewport, app.Token(role, county), lang);
        await page.Context.AddInitScriptAsync("window.__csp = []; document.addEventListener('securitypolicyviolation', "
            + "e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));");
        return page;
    }

    static async Task NoViolations(IPage page, string what) =>
        (await page.EvaluateAsync<string[]>("window.__csp")).ShouldBeEmpty(what);

    /// <summary>The option a chart was drawn with, as ECharts holds it: x-axis categories, series, the visual map's pieces.</summary>
    static async Task<JsonObject> Drawn(IPage page, string chart) =>
        JsonNode.Parse(await page.EvaluateAsync<string>("name => { const o = echarts.getInstanceByDom(document.querySelector(`[data-chart='${name}']`)).getOption(); "
            + "return JSON.stringify({ x: o.xAxis[0].data, series: o.series.map(s => ({ id: s.id, data: s.data })), pieces: o.visualMap?.[0]?.pieces ?? null }); }", chart))!.AsObject();

    static JsonArray Series(JsonObject drawn, string id) => drawn["series"]!.AsArray().Single(s => s!["id"]!.GetValue<string>() == id)!["data"]!.AsArray();

    static async Task<JsonObject> Api(HttpClient client, string path)
    {
        var response = await client.GetAsync(path);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, $"{path}: {await response.Content.ReadAsStringAsync()}");
        return await response.Body();
    }

    /// <summary>Shows a tooltip by hovering the chart's middle (a tooltip built from HTML would break the policy).</summary>
    static async Task Hover(IPage page, string chart)
    {
        var box = (await page.Locator($"[data-chart='{chart}']").BoundingBoxAsync())!;
        await page.Mouse.MoveAsync(box.X + box.Width * 0.6f, box.Y + box.Height * 0.6f);
        await page.WaitForTimeoutAsync(300);
    }

    async Task Report(HttpClient ingest, string cell, string caseId, string kind, DateTimeOffset at, DateTimeOffset? onset = null, string? cluster = null) =>
        (await ingest.PostAsJsonAsync($"/api/v1/cells/{cell}/cases", new { caseId, kind, local = true, clusterId = cluster, occurredAt = at.ToString("O"), onsetAt = onset?.ToString("O") }))
            .StatusCode.ShouldBe(HttpStatusCode.Created, caseId);

    [Fact]
    public async Task The_county_panel_draws_the_epidemic_curve_the_api_gives_by_report_and_by_onset_and_the_public_map_never_loads_the_chart_library()
    {
        const string county = "330681", cell = "330681-101-001"; // Zhuji
        await app.RegisterCell(cell);
        using var ingest = app.As(Roles.Ingest);
        var now = app.Clock.GetUtcNow();
        for (var i = 0; i < 6; i++)
            await Report(ingest, cell, $"zj-curve-{i}", Kinds[i % 3], now.AddDays(-i), onset: i % 2 == 0 ? now.AddDays(-i - 3) : null);

        // Phones on weak networks: the public map and the grid worker's inbox never fetch the chart library.
        await app.RegisterCell("330681-101-002");
        foreach (var (role, path, view) in new[] { ((string?)null, "/public", "public"), (Roles.GridWorker, "/", "inbox") })
        {
            var phone = await app.Browser.Open(app.BaseAddress, Browser.Phone, role is null ? null : app.Token(role, null, "330681-101-002"));
            var fetched = new List<string>();
            phone.Request += (_, r) => fetched.Add(r.Url);
            await phone.GotoAsync(path);
            await Browser.Ready(phone, view);
            await phone.WaitForTimeoutAsync(300);
            fetched.ShouldNotContain(u => u.Contains("echarts"), view);
            (await phone.EvaluateAsync<bool>("typeof window.echarts === 'undefined'")).ShouldBeTrue(view);
            await phone.Context.CloseAsync();
        }

        var page = await Open(Roles.ProvinceOfficial, Browser.Desktop, lang: "en");
        await page.GotoAsync("/");
        await Browser.Ready(page, "map");
        await page.ClickAsync($"[data-county='{county}']");
        using var official = app.As(Roles.CountyOfficial, county);
        foreach (var by in new[] { "report", "onset" })
        {
            if (by == "onset") await page.SelectOptionAsync("[data-testid=curve-by]", "onset");
            var chart = page.Locator($"[data-chart=epicurve][data-by={by}]");
            await chart.WaitForAsync();
            var (from, to) = (await chart.GetAttributeAsync("data-from"), await chart.GetAttributeAsync("data-to"));
            var api = await Api(official, $"/api/v1/counties/{county}/epicurve?from={from}&to={to}&by={by}");
            var days = api["days"]!.AsArray();
            var drawn = await Drawn(page, "epicurve");
            drawn["x"]!.AsArray().Select(d => d!.GetValue<string>()).ShouldBe(days.Select(d => d!["date"]!.GetValue<string>()), by);
            foreach (var kind in Kinds)
                Series(drawn, kind).Select(v => v!.GetValue<int>()).ShouldBe(days.Select(d => d![kind]!.GetValue<int>()), $"{kind} by {by}");
            Series(drawn, "mean7").Select(v => v!.GetValue<double>()).ShouldBe(
                days.Select(d => Math.Round(Kinds.Sum(k => d![k + "Average7"]!.GetValue<double>()), 2)), 0.011, $"7-day mean by {by}");
            days.Sum(d => Kinds.Sum(k => d![k]!.GetValue<int>())).ShouldBe(by == "report" ? 6 : 3, "the curve holds the cases reported (with an onset: three)");
        }
        (await page.TextContentAsync("[data-testid=without-onset]"))!.ShouldContain("3");
        await page.Locator("[data-chart=epicurve]").ScrollIntoViewIfNeededAsync();
        await Hover(page, "epicurve");
        await Browser.Screenshot(page, "epicurve-desktop");
        await NoViolations(page, "county panel with its epidemic curve");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task The_county_panel_draws_Rt_with_its_band_as_the_api_gives_it_and_the_charts_view_ranks_the_counties_by_Rt()
    {
        const string county = "330723", cell = "330723-101-001"; // Wuyi
        await app.RegisterCell(cell);
        using var ingest = app.As(Roles.Ingest);
        var today = DateOnly.FromDateTime(app.Clock.GetUtcNow().ToOffset(TimeSpan.FromHours(8)).DateTime);
        for (var d = 1; d <= 16; d++) // growing by a quarter a day, from 2 cases to 57 on yesterday
        for (var i = 0; i < (int)Math.Round(2 * Math.Pow(1.25, 16 - d)); i++)
            await Report(ingest, cell, $"wy-{d}-{i}", "confirmed", new DateTimeOffset(today.AddDays(-d).ToDateTime(new TimeOnly(12, i)), TimeSpan.FromHours(8)));

        var page = await Open(Roles.ProvinceOfficial, Browser.Desktop, lang: "en");
        await page.GotoAsync("/");
        await Browser.Ready(page, "map");
        await page.ClickAsync($"[data-county='{county}']");
        using var official = app.As(Roles.CountyOfficial, county);
        foreach (var by in new[] { "report", "onset" })
        {
            if (by == "onset") await page.SelectOptionAsync("[data-testid=curve-by]", "onset");
            var chart = page.Locator($"[data-chart=rt][data-by={by}]");
            await chart.WaitForAsync();
            var api = await Api(official, $"/api/v1/counties/{county}/rt?by={by}");
            var items = api["items"]!.AsArray();
            var drawn = await Drawn(page, "rt");
            drawn["x"]!.AsArray().Select(d => d!.GetValue<string>()).ShouldBe(items.Select(i => i!["day"]!.GetValue<string>()), by);
            Series(drawn, "mean").Select(v => v?.GetValue<double>()).ShouldBe(items.Select(i => i!["mean"]?.GetValue<double>()), $"Rt by {by}");
            Series(drawn, "lower").Select(v => v?.GetValue<double>()).ShouldBe(items.Select(i => i!["lower"]?.GetValue<double>()), $"lower bound by {by}");
            Series(drawn, "band").Select(v => v?.GetValue<double>() ?? -1).ShouldBe(
                items.Select(i => i!["mean"] is null ? -1 : i["upper"]!.GetValue<double>() - i["lower"]!.GetValue<double>()), 1e-9, $"the band's width by {by}");
            if (by == "report")
            {
                // Growing: the latest estimate's whole interval above 1, and a projection of the next 7 days written out.
                items[^1]!["day"]!.GetValue<string>().ShouldBe($"{today.AddDays(-1):yyyy-MM-dd}", "to yesterday, the last whole day, by default");
                items[^1]!["lower"]!.GetValue<double>().ShouldBeGreaterThan(1);
                var expected = (int)Math.Round(api["projection"]!.AsArray().Sum(p => p!["expected"]!.GetValue<double>()));
                (await page.TextContentAsync("[data-testid=rt-projection]"))!.ShouldContain($"about {expected} new cases");
                (await page.TextContentAsync("[data-testid=rt-method]"))!.ShouldContain(api["ruleVersion"]!.GetValue<string>());
                await page.Locator("[data-chart=rt]").ScrollIntoViewIfNeededAsync();
                await Hover(page, "rt");
                await Browser.Screenshot(page, "rt-desktop");
            }
            else
            {
                items.ShouldAllBe(i => i!["mean"] == null, "no case has an onset date: nothing to estimate");
                (await page.TextContentAsync("[data-testid=rt-projection]"))!.ShouldContain("no projection");
            }
        }
        await page.SelectOptionAsync("[data-testid=curve-by]", "report"); // the choice outlives the panel: leave it as found
        await NoViolations(page, "county panel with Rt");

        // The charts view of the province: the counties ranked by Rt, as the API ranks them.
        await page.GotoAsync("/#charts");
        await Browser.Ready(page, "charts");
        var table = page.Locator("[data-testid=rt-ranking][data-day]");
        await table.WaitForAsync(new() { Timeout = 30_000 });
        using var reader = app.As(Roles.Auditor);
        var ranking = await Api(reader, "/api/v1/province/rt/counties");
        (await table.GetAttributeAsync("data-day")).ShouldBe(ranking["day"]!.GetValue<string>());
        var rows = await page.Locator("[data-testid=rt-ranking] tbody tr[data-county]").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.county)");
        rows.ShouldBe(ranking["items"]!.AsArray().Select(i => i!["county"]!.GetValue<string>()));
        rows.ShouldContain(county);
        (await page.Locator($"[data-testid=rt-ranking] tr[data-county='{county}']").GetAttributeAsync("class"))!.ShouldContain("rt-up");
        (await page.TextContentAsync("[data-testid=rt-without]"))!.ShouldContain(ranking["withoutEstimate"]!.GetValue<int>().ToString());
        var provinceRt = page.Locator("[data-chart=rt][data-to]");
        await provinceRt.WaitForAsync();
        var province = await Api(reader, $"/api/v1/province/rt?from={await provinceRt.GetAttributeAsync("data-from")}&to={await provinceRt.GetAttributeAsync("data-to")}");
        Series(await Drawn(page, "rt"), "mean").Select(v => v?.GetValue<double>()).ShouldBe(province["items"]!.AsArray().Select(i => i!["mean"]?.GetValue<double>()));
        await page.Locator("[data-testid=rt-ranking]").ScrollIntoViewIfNeededAsync();
        await Browser.Screenshot(page, "rt-ranking-desktop");
        await NoViolations(page, "charts view with Rt");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task The_charts_view_draws_the_colour_history_as_counts_with_the_published_points_and_as_a_county_by_day_strip()
    {
        const string county = "330502", cell = "330502-101-001"; // Wuxing
        await app.RegisterCell(cell);
        using var ingest = app.As(Roles.Ingest);
        for (var i = 0; i < 8; i++)
            await Report(ingest, cell, $"wx-{i}", "confirmed", app.Clock.GetUtcNow().AddMinutes(-i), cluster: "wx");
        await Eventually.True(async () => (await app.County(county)).ColourUnder("zhejiang-5") != "green", TimeSpan.FromSeconds(10), "Wuxing coloured");

        var page = await Open(Roles.ProvinceOfficial, Browser.Desktop);
        await page.GotoAsync("/#charts");
        await Browser.Ready(page, "charts");
        using var auditor = app.As(Roles.Auditor); // another actor than the page's: audit queries of one actor go one at a time
        var palette = JsonNode.Parse(await page.EvaluateAsync<string>(
            "JSON.stringify(Object.fromEntries(['red','orange','yellow','blue','green'].map(c => [c, getComputedStyle(document.documentElement).getPropertyValue('--' + c).trim()])))"))!;
        foreach (var (ruleSet, colours) in new[] { ("zhejiang-5", new[] { "red", "orange", "yellow", "blue", "green" }), ("national-3", ["red", "yellow", "green"]) })
        {
            if (ruleSet != "zhejiang-5") await page.SelectOptionAsync("[data-testid=chart-controls] select[name=ruleSet]", ruleSet);
            var counts = page.Locator($"[data-chart=colour-counts][data-rule-set='{ruleSet}']");
            await counts.WaitForAsync(new() { Timeout = 30_000 });
            await page.Locator($"[data-chart=colour-strip][data-rule-set='{ruleSet}']").WaitForAsync(new() { Timeout = 30_000 });
            var (from, to) = (await counts.GetAttributeAsync("data-from"), await counts.GetAttributeAsync("data-to"));
            var api = await Api(auditor, $"/api/v1/province/colour-history?ruleSet={ruleSet}&from={from}&to={to}");
            var days = api["days"]!.AsArray();

            var drawn = await Drawn(page, "colour-counts");
            drawn["x"]!.AsArray().Select(d => d!.GetValue<string>()).ShouldBe(days.Select(d => d!["date"]!.GetValue<string>()));
            foreach (var colour in colours)
                Series(drawn, colour).Select(v => v!.GetValue<int>()).ShouldBe(days.Select(d => d!["counts"]![colour]!.GetValue<int>()), $"{ruleSet} {colour}");
            var published = Series(drawn, "published");
            var publishedDays = days.Select((d, i) => (d, i)).Where(x => x.d!["published"] is not null).ToList();
            publishedDays.Count.ShouldBeGreaterThan(0, "the default 30 days up to 20 Feb 2020 hold days the province published");
            // The province published counts of its five colours: marked only under a rule set with the five.
            published.Count.ShouldBe(colours.Length == 5 ? publishedDays.Count * colours.Length : 0, ruleSet);
            foreach (var point in published)
            {
                var value = point!["value"]!.AsArray().Select(v => v!.GetValue<int>()).ToArray();
                var day = days[value[0]]!["published"]!;
                var colour = point["name"]!.GetValue<string>();
                value[2].ShouldBe(day[colour]!.GetValue<int>(), $"published {colour} on {days[value[0]]!["date"]}");
                value[1].ShouldBe(colours.TakeWhile(c => c != colour).Append(colour).Sum(c => day[c]!.GetValue<int>()), "marked at the top of its colour's band");
            }

            var strip = await Drawn(page, "colour-strip");
            var pieces = strip["pieces"]!.AsArray();
            var cells = strip["series"]![0]!["data"]!.AsArray();
            var counties = api["counties"]!.AsArray();
            cells.Count.ShouldBe(counties.Count * days.Count);
            foreach (var c in cells)
            {
                var (col, row, piece) = (c![0]!.GetValue<int>(), c[1]!.GetValue<int>(), c[2]!.GetValue<int>());
                var expected = counties[row]!["colours"]![col]!.GetValue<string>();
                pieces.Single(p => p!["value"]!.GetValue<int>() == piece)!["color"]!.GetValue<string>()
                    .ShouldBe(palette[expected]!.GetValue<string>(), $"{counties[row]!["code"]} on {days[col]!["date"]}");
            }
            (await page.GetAttributeAsync("[data-chart=colour-strip]", "data-counties"))!.Split(',')
                .ShouldBe(counties.Select(c => c!["code"]!.GetValue<string>()), "rows in the API's order");
            counties.Single(c => c!["code"]!.GetValue<string>() == county)!["colours"]!.AsArray().Last()!.GetValue<string>()
                .ShouldNotBe("green", "the strip has a coloured cell to show");
            if (ruleSet == "zhejiang-5")
            {
                await Hover(page, "colour-counts");
                await Browser.Screenshot(page, "charts-desktop");
                await page.SetViewportSizeAsync(Browser.Phone.Width, Browser.Phone.Height);
                await page.WaitForTimeoutAsync(300);
                await Browser.Screenshot(page, "charts-phone");
                await page.SetViewportSizeAsync(Browser.Desktop.Width, Browser.Desktop.Height);
            }
        }
        await NoViolations(page, "charts view");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task The_charts_view_draws_the_resumption_index_history_and_the_provinces_epidemic_curve_the_api_gives()
    {
        using var admin = app.Admin();
        foreach (var (id, county, industry) in new[] { ("cx-a", "330522", "manufacturing"), ("cx-b", "330522", "retail"), ("aj-a", "330523", "manufacturing") })
            (await admin.PutAsJsonAsync($"/api/v1/enterprises/{id}", new { county, name = id, industry, baselineKwhPerDay = 100 })).IsSuccessStatusCode.ShouldBeTrue();
        var readings = await admin.PostAsJsonAsync("/api/v1/enterprises/readings", new[]
        {
            new { enterpriseId = "cx-a", day = "2020-02-18", kwh = 20.0 }, new { enterpriseId = "cx-b", day = "2020-02-18", kwh = 60.0 },
            new { enterpriseId = "aj-a", day = "2020-02-18", kwh = 10.0 },
            new { enterpriseId = "cx-a", day = "2020-02-19", kwh = 70.0 }, new { enterpriseId = "cx-b", day = "2020-02-19", kwh = 90.0 },
            new { enterpriseId = "aj-a", day = "2020-02-19", kwh = 40.0 },
        });
        readings.StatusCode.ShouldBe(HttpStatusCode.OK, await readings.Content.ReadAsStringAsync());

        var page = await Open(Roles.ProvinceOfficial, Browser.Desktop, lang: "en");
        await page.GotoAsync("/#charts");
        await Browser.Ready(page, "charts");
        var chart = page.Locator("[data-chart=resumption][data-from]");
        await chart.WaitForAsync(new() { Timeout = 30_000 });
        var (from, to) = (await chart.GetAttributeAsync("data-from"), await chart.GetAttributeAsync("data-to"));
        using var reader = app.As(Roles.Auditor);
        var api = await Api(reader, $"/api/v1/province/resumption/history?from={from}&to={to}&by=industry");
        var days = api["days"]!.AsArray();
        var drawn = await Drawn(page, "resumption");
        drawn["x"]!.AsArray().Select(d => d!.GetValue<string>()).ShouldBe(days.Select(d => d!["day"]!.GetValue<string>()));
        Series(drawn, "total").Select(v => v?.GetValue<double>()).ShouldBe(
            days.Select(d => d!["enterprises"]!.GetValue<int>() > 0 ? d["index"]!.GetValue<double>() : (double?)null));
        Series(drawn, "total").Count(v => v is not null).ShouldBe(2, "two days have readings");
        // By industry where the API gives it (each day's "industries"): a line per industry beside the total.
        var industries = days.SelectMany(d => d!["industries"]?.AsArray() ?? []).Select(i => i!["industry"]!.GetValue<string>()).Distinct().Order().ToList();
        drawn["series"]!.AsArray().Select(s => s!["id"]!.GetValue<string>()).ShouldBe(["total", .. industries.Select(i => $"industry:{i}")]);
        foreach (var industry in industries)
            Series(drawn, $"industry:{industry}").Select(v => v?.GetValue<double>()).ShouldBe(days.Select(d =>
                d!["industries"]?.AsArray().FirstOrDefault(i => i!["industry"]!.GetValue<string>() == industry)?["index"]?.GetValue<double>()), industry);

        var curve = page.Locator("[data-chart=epicurve][data-from]");
        await curve.WaitForAsync();
        var epicurve = await Api(reader, $"/api/v1/province/epicurve?from={await curve.GetAttributeAsync("data-from")}&to={await curve.GetAttributeAsync("data-to")}");
        Series(await Drawn(page, "epicurve"), "confirmed").Select(v => v!.GetValue<int>())
            .ShouldBe(epicurve["days"]!.AsArray().Select(d => d!["confirmed"]!.GetValue<int>()));
        (await page.TextContentAsync("[data-testid=charts-status]"))!.ShouldBeEmpty("every chart drawn");
        await Hover(page, "resumption");
        await NoViolations(page, "charts view in English");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task The_line_list_shows_the_apis_cases_with_its_filters_pages_along_the_cursor_and_downloads_the_same_list_as_csv()
    {
        const string county = "330727", cell = "330727-101-001"; // Pan'an
        await app.RegisterCell(cell);
        using var ingest = app.As(Roles.Ingest);
        var now = app.Clock.GetUtcNow();
        for (var i = 0; i < 25; i++)
            await Report(ingest, cell, $"pa-{i:00}", i % 5 == 0 ? "suspected" : "confirmed", now.AddHours(-i), cluster: i % 2 == 0 ? "pa-cluster" : null);

        var page = await Open(Roles.CountyOfficial, Browser.Desktop, county);
        await page.GotoAsync("/#cases");
        await Browser.Ready(page, "cases");
        using var official = app.As(Roles.CountyOfficial, county);
        var path = $"/api/v1/counties/{county}/cases";
        async Task<string[]> Rows() => await page.Locator("[data-testid=cases] tbody tr[data-case]").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.case)");
        async Task Shown(string loaded) => await page.Locator($"[data-testid=cases][data-loaded='{loaded}']").WaitForAsync();
        static string[] Ids(JsonObject page) => page["items"]!.AsArray().Select(i => i!["caseId"]!.GetValue<string>()).ToArray();

        await Shown("1");
        (await Rows()).ShouldBe(Ids(await Api(official, path)), "the first page as the API gives it");

        await page.SelectOptionAsync("[name=limit]", "20");
        await page.ClickAsync("[data-testid=case-filters] button[type=submit]");
        await Shown("2");
        var first = await Api(official, $"{path}?limit=20");
        (await Rows()).ShouldBe(Ids(first));
        await page.ClickAsync("[data-testid=next-page]");
        var second = await Api(official, $"{path}?limit=20&cursor={Uri.EscapeDataString(first["nextCursor"]!.GetValue<string>())}");
        await page.Locator($"[data-testid=cases] tr[data-case='{Ids(second).Last()}']").WaitForAsync();
        (await Rows()).ShouldBe([.. Ids(first), .. Ids(second)], "the next page follows the cursor");
        (await Rows()).Length.ShouldBe(25);
        (await page.IsHiddenAsync("[data-testid=next-page]")).ShouldBeTrue("no page after the last");
        await Browser.Screenshot(page, "line-list-desktop");

        await page.SelectOptionAsync("[name=kind]", "suspected");
        await page.SelectOptionAsync("[name=linked]", "true");
        await page.ClickAsync("[data-testid=case-filters] button[type=submit]");
        await Shown("3");
        var filtered = await Api(official, $"{path}?kind=suspected&linked=true&limit=20");
        Ids(filtered).Length.ShouldBe(3, "pa-00, pa-10 and pa-20: suspected and in the cluster");
        (await Rows()).ShouldBe(Ids(filtered));
        var row = page.Locator("[data-testid=cases] tr[data-case='pa-10'] td");
        (await row.Nth(2).TextContentAsync()).ShouldBe(cell);
        (await row.Nth(8).TextContentAsync()).ShouldBe("pa-cluster");

        var download = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("[data-testid=csv]"));
        download.SuggestedFilename.ShouldBe($"epigrid-cases-{county}.csv");
        var file = await File.ReadAllTextAsync((await download.PathAsync())!);
        file.ShouldBe(await official.GetStringAsync($"{path}?kind=suspected&linked=true&format=csv"), "the file is the API's CSV of the same filters");
        file.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length.ShouldBe(4, "a header and three cases");

        await page.SetViewportSizeAsync(Browser.Phone.Width, Browser.Phone.Height);
        await page.WaitForTimeoutAsync(200);
        await Browser.Screenshot(page, "line-list-phone");
        await NoViolations(page, "line list and its CSV download");
        await page.Context.CloseAsync();
    }
}
