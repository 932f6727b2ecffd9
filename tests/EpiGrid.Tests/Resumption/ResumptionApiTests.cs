using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using EpiGrid.Tests.Infrastructure;
using EpiGrid.WebHost.Api;
using EpiGrid.WebHost.Api.Requests;

namespace EpiGrid.Tests.Resumption;

public sealed class ResumptionApiTests(ResumptionApp app) : IClassFixture<ResumptionApp>
{
    [Fact]
    public async Task A_days_readings_give_the_county_its_index_and_a_re_upload_adds_nothing()
    {
        const string county = "330782";
        for (var i = 1; i <= 4; i++) await app.RegisterEnterprise($"yw-{i}", county, baseline: 100);
        using var ingest = app.As("ingest");
        var readings = new JsonArray(
            new JsonObject { ["enterpriseId"] = "yw-1", ["day"] = "2020-02-19", ["kwh"] = 30 },
            new JsonObject { ["enterpriseId"] = "yw-2", ["day"] = "2020-02-19", ["kwh"] = 29.99 },
            new JsonObject { ["enterpriseId"] = "yw-3", ["day"] = "2020-02-19", ["kwh"] = 90 },
            new JsonObject { ["enterpriseId"] = "yw-4", ["day"] = "2020-02-19", ["kwh"] = 0 });

        var first = await app.Upload(ingest, JsonContent.Create(readings));
        var again = await app.Upload(ingest, JsonContent.Create(readings));

        first.Int("applied").ShouldBe(4);
        first["errors"]!.AsArray().ShouldBeEmpty();
        again.Int("applied").ShouldBe(0);
        again.Int("duplicates").ShouldBe(4);
        var figures = await Get(ingest, $"/api/v1/counties/{county}/resumption?day=2020-02-19");
        figures["day"]!.GetValue<string>().ShouldBe("2020-02-19");
        figures.Int("enterprises").ShouldBe(4);
        figures.Int("resumed").ShouldBe(2);
        figures["resumptionRate"]!.GetValue<double>().ShouldBe(0.5);
        figures["productionRate"]!.GetValue<double>().ShouldBe(149.99 / 400, 1e-12);
        figures["index"]!.GetValue<double>().ShouldBe(Math.Round(100 * (0.5 + 149.99 / 400) / 2, 2));
    }

    [Fact]
    public async Task Bad_csv_rows_are_answered_with_their_line_and_field_and_the_good_rows_are_applied()
    {
        await app.RegisterEnterprise("hz-1", "330106");
        await app.RegisterEnterprise("hz-2", "330106");
        using var ingest = app.As("ingest");
        var csv = "enterpriseId,day,kwh\n" +
                  "hz-1,2020-02-19,50\n" +          // line 2: fine
                  "nobody,2020-02-19,50\n" +        // line 3: not registered
                  "hz-2,19/02/2020,50\n" +          // line 4: day format
                  "hz-2,2020-02-19,-1\n" +          // line 5: negative
                  "hz-2,2020-02-21,10\n" +          // line 6: tomorrow (the clock says 20 Feb)
                  "hz-1,2020-02-19,51\n" +          // line 7: another value for a recorded day
                  "hz-2,2020-02-19,abc\n" +         // line 8: not a number
                  "hz-2,2020-02-19\n" +             // line 9: missing field
                  "\n" +
                  "hz-2,2020-02-19,40\n";           // line 11: fine

        var result = await app.Upload(ingest, ResumptionApp.Csv(csv));

        result.Int("applied").ShouldBe(2);
        var errors = result["errors"]!.AsArray().Select(e => (e!["line"]!.GetValue<int>(), e["field"]!.GetValue<string>())).ToList();
        errors.ShouldBe([(3, "enterpriseId"), (4, "day"), (5, "kwh"), (6, "day"), (7, "kwh"), (8, "kwh"), (9, "line")]);
    }

    [Fact]
    public async Task Hostile_csv_rows_cost_one_error_each_with_its_reason_and_nothing_of_them_is_stored()
    {
        const string county = "330481";
        await app.RegisterEnterprise("hn-1", county);
        await app.RegisterEnterprise("hn-2", county);
        using var ingest = app.As("ingest");
        static byte[] Text(string text) => Encoding.UTF8.GetBytes(text);
        byte[] csv =
        [
            .. Text("enterpriseId,day,kwh,note\n"),
            .. Text("hn-1,2020-02-17,50,\"meter 7, hall B\"\n"),                     // line 2: a comma inside quotes
            .. Text("\"hn-2\",2020-02-17,\"30\",\"say \"\"hi\"\"\"\n"),              // line 3: quoted fields, doubled quotes
            .. Text("hn-1,2020-02-18,5\"0,x\n"),                                      // line 4: a quote inside a field
            .. Text("\"hn-2\"x,2020-02-18,50,x\n"),                                    // line 5: text after the closing quote
            .. Text("hn-1,2020-02-19,50,"), 0xD5, 0xC5, 0xC8, 0xFD, (byte)'\n',       // line 6: 张三 in GBK
            .. Text("=cmd|' /C calc'!A0,2020-02-19,50,x\n"),                          // line 7: a formula as the id
            .. Text("\"=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",2020-02-19,50,x\n"),     // line 8: a quoted formula with a comma
            .. Text("hn-2,2020-02-19,50," + new string('x', 100_000) + "\n"),          // line 9: an enormous line
            .. Text("hn-2,2020-02-20,50,\"never closed"),                             // line 10: a quote left open
        ];

        var result = await app.Upload(ingest, new ByteArrayContent(csv) { Headers = { ContentType = new("text/csv") } });

        result.Int("applied").ShouldBe(2, result.ToJsonString());
        var badId = $"Must be 1-{Fields.MaxIdLength} characters of A-Z, a-z, 0-9, '.', '_', ':' or '-'.";
        result["errors"]!.AsArray().Select(e => (e!["line"]!.GetValue<int>(), e["field"]!.GetValue<string>(), e["reason"]!.GetValue<string>())).ShouldBe([
            (4, "line", "A quote inside an unquoted field."),
            (5, "line", "Text after the closing quote of a field."),
            (6, "line", "The row holds bytes that are not UTF-8 (GBK or another encoding?): save the file as UTF-8."),
            (7, "enterpriseId", badId),
            (8, "enterpriseId", badId),
            (9, "line", $"The row is longer than {CsvRows.MaxRowChars:N0} characters (an unclosed quote?); the rest of its line was skipped."),
            (10, "line", "A quoted field is not closed."),
        ]);
        var history = await Get(app.As("auditor"), $"/api/v1/counties/{county}/resumption/history?from=2020-02-17&to=2020-02-20");
        history["days"]!.AsArray().Select(d => (d!["day"]!.GetValue<string>(), d["enterprises"]!.GetValue<int>(), d["productionRate"]!.GetValue<double>()))
            .ShouldBe([("2020-02-17", 2, 0.4)]);
    }

    [Theory]
    [InlineData("a GBK header")]
    [InlineData("UTF-16 without a byte order mark")]
    [InlineData("a column twice")]
    [InlineData("columns missing")]
    [InlineData("nothing")]
    public async Task A_csv_whose_header_cannot_be_read_is_refused_whole_naming_the_header(string what)
    {
        const string rows = "hz-1,2020-02-19,50\n";
        byte[] body = what switch
        {
            "a GBK header" => [0xC6, 0xF3, 0xD2, 0xB5, 0x2C, 0xC8, 0xD5, 0xC6, 0xDA, 0x2C, 0xC7, 0xA7, 0xCD, 0xDF, 0xCA, 0xB1, (byte)'\n', .. Encoding.UTF8.GetBytes(rows)], // 企业,日期,千瓦时
            "UTF-16 without a byte order mark" => Encoding.Unicode.GetBytes("enterpriseId,day,kwh\n" + rows),
            "a column twice" => Encoding.UTF8.GetBytes("enterpriseId,day,kwh,day\n" + rows),
            "columns missing" => Encoding.UTF8.GetBytes("id,when,use\n" + rows),
            _ => [],
        };
        using var ingest = app.As("ingest");

        var response = await ingest.PostAsync("/api/v1/enterprises/readings", new ByteArrayContent(body) { Headers = { ContentType = new("text/csv") } });

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest, what);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        (await response.Body())["errors"]!.AsObject().Select(e => e.Key).ShouldBe(["header"], what);
    }

    [Fact]
    public async Task A_malformed_body_or_an_unknown_media_type_is_refused_whole()
    {
        using var ingest = app.As("ingest");
        (await ingest.PostAsync("/api/v1/enterprises/readings", ResumptionApp.Csv("id,when,use\nx,2020-02-19,1\n"))).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await ingest.PostAsync("/api/v1/enterprises/readings", JsonContent.Create(new { enterpriseId = "x" }))).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await ingest.PostAsync("/api/v1/enterprises/readings", new StringContent("x", null, "text/plain"))).StatusCode.ShouldBe(HttpStatusCode.UnsupportedMediaType);
    }

    [Fact]
    public async Task Province_and_cities_are_exact_sums_of_their_counties()
    {
        // Two counties of Jinhua (3307) with 20 Feb readings only.
        await app.RegisterEnterprise("jh-a1", "330702", baseline: 200);
        await app.RegisterEnterprise("jh-b1", "330781", baseline: 100);
        await app.RegisterEnterprise("jh-b2", "330781", baseline: 100);
        using var ingest = app.As("ingest");
        await app.Upload(ingest, ResumptionApp.Csv("enterpriseId,day,kwh\njh-a1,2020-02-20,100\njh-b1,2020-02-20,10\njh-b2,2020-02-20,40\n"));

        using var worker = app.As("grid-worker", cells: "330781-001-001");
        JsonObject province = null!;
        await Eventually.True(async () =>
            (province = await Get(worker, "/api/v1/province/resumption?day=2020-02-20")).Int("enterprises") == 3, TimeSpan.FromSeconds(10));
        province.Int("resumed").ShouldBe(2);
        province["productionRate"]!.GetValue<double>().ShouldBe(150.0 / 400, 1e-12);
        var city = province["cities"]!.AsArray().Single(c => c!["code"]!.GetValue<string>() == "3307")!.AsObject();
        city.Int("enterprises").ShouldBe(3);
        city["index"]!.GetValue<double>().ShouldBe(province["index"]!.GetValue<double>());
        province["counties"]!.AsArray().Select(c => c!["code"]!.GetValue<string>()).ShouldBe(["330702", "330781"]);
    }

    [Fact]
    public async Task The_history_gives_the_index_of_each_day_with_readings()
    {
        const string county = "330381";
        await app.RegisterEnterprise("wz-1", county);
        using var ingest = app.As("ingest");
        await app.Upload(ingest, ResumptionApp.Csv("enterpriseId,day,kwh\nwz-1,2020-02-10,10\nwz-1,2020-02-15,40\nwz-1,2020-02-19,80\n"));

        var history = await Get(app.As("auditor"), $"/api/v1/counties/{county}/resumption/history?from=2020-02-12&to=2020-02-20");

        history["days"]!.AsArray().Select(d => (d!["day"]!.GetValue<string>(), d["index"]!.GetValue<double>()))
            .ShouldBe([("2020-02-15", 70.0), ("2020-02-19", 90.0)]);
    }

    [Fact]
    public async Task The_history_as_known_at_a_past_moment_leaves_out_later_readings_and_exports_as_csv()
    {
        const string county = "330382";
        await app.RegisterEnterprise("yq-1", county);
        using var ingest = app.As("ingest");
        await app.Upload(ingest, ResumptionApp.Csv("enterpriseId,day,kwh\nyq-1,2020-02-17,50\n"));
        var before = app.Clock.GetUtcNow();
        app.Clock.Advance(TimeSpan.FromMinutes(10));
        await app.Upload(ingest, ResumptionApp.Csv("enterpriseId,day,kwh\nyq-1,2020-02-18,60\n"));
        using var auditor = app.As("auditor");
        var range = $"/api/v1/counties/{county}/resumption/history?from=2020-02-17&to=2020-02-18";

        var now = await Get(auditor, range);
        var then = await Get(auditor, range + "&knownAt=" + Uri.EscapeDataString(before.ToString("O")));
        var csv = await auditor.GetStringAsync(range + "&format=csv");

        now["days"]!.AsArray().Count.ShouldBe(2);
        then["days"]!.AsArray().Select(d => d!["day"]!.GetValue<string>()).ShouldBe(["2020-02-17"]);
        csv.Split('\n', StringSplitOptions.RemoveEmptyEntries).ShouldBe([
            "day,enterprises,resumed,resumptionRate,productionRate,index,ruleVersion",
            "2020-02-17,1,1,1,0.5,75.00,2020-02-19.1+r0.3",
            "2020-02-18,1,1,1,0.6,80.00,2020-02-19.1+r0.3"]);
    }

    [Fact]
    public async Task The_province_history_as_known_at_a_past_moment_sums_what_the_counties_had_recorded_by_then()
    {
        // Two Jiaxing counties, on days no other test uses: 5 Feb from one county first, the rest ten minutes later.
        await app.RegisterEnterprise("jx-1", "330483");
        await app.RegisterEnterprise("jx-2", "330424");
        using var ingest = app.As("ingest");
        var nothingYet = app.Clock.GetUtcNow();
        app.Clock.Advance(TimeSpan.FromMinutes(10));
        await app.Upload(ingest, ResumptionApp.Csv("enterpriseId,day,kwh\njx-1,2020-02-05,50\n"));
        var before = app.Clock.GetUtcNow();
        app.Clock.Advance(TimeSpan.FromMinutes(10));
        await app.Upload(ingest, ResumptionApp.Csv("enterpriseId,day,kwh\njx-2,2020-02-05,100\njx-1,2020-02-06,70\n"));
        // A replay of every county's stream is history: a province official may ask (a grid worker may not, see the matrix).
        using var official = app.As("province-official");
        const string range = "/api/v1/province/resumption/history?from=2020-02-05&to=2020-02-06";
        static List<(string, int, double)> Days(JsonObject history) => history["days"]!.AsArray()
            .Select(d => (d!["day"]!.GetValue<string>(), d["enterprises"]!.GetValue<int>(), d["productionRate"]!.GetValue<double>())).ToList();

        JsonObject now = null!;
        await Eventually.True(async () => Days(now = await Get(official, range)).Count == 2 && now["days"]![0]!["enterprises"]!.GetValue<int>() == 2, TimeSpan.FromSeconds(10));
        var then = await Get(official, range + "&knownAt=" + Uri.EscapeDataString(before.ToString("O")));
        var atFirst = await Get(official, range + "&knownAt=" + Uri.EscapeDataString(nothingYet.ToString("O")));
        var csv = await official.GetStringAsync(range + "&format=csv&knownAt=" + Uri.EscapeDataString(before.ToString("O")));
        var badMoment = await official.GetAsync(range + "&knownAt=yesterday");

        Days(now).ShouldBe([("2020-02-05", 2, 0.75), ("2020-02-06", 1, 0.7)]);
        Days(then).ShouldBe([("2020-02-05", 1, 0.5)]);
        then["county"].ShouldBeNull();
        Days(atFirst).ShouldBeEmpty();
        csv.Split('\n', StringSplitOptions.RemoveEmptyEntries).ShouldBe([
            "day,enterprises,resumed,resumptionRate,productionRate,index,ruleVersion",
            "2020-02-05,1,1,1,0.5,75.00,2020-02-19.1+r0.3"]);
        badMoment.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Staff_back_at_work_is_shown_next_to_the_index_and_a_later_report_replaces_the_earlier()
    {
        const string county = "330602";
        await app.RegisterEnterprise("sx-1", county);
        await app.RegisterEnterprise("sx-2", county);
        using var official = app.As("county-official", county);
        await app.Upload(official, ResumptionApp.Csv("enterpriseId,day,kwh\nsx-1,2020-02-18,50\n"));

        (await official.PostAsJsonAsync("/api/v1/enterprises/sx-1/staff", new { day = "2020-02-18", staffAtWork = 40 })).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await official.PostAsJsonAsync("/api/v1/enterprises/sx-2/staff", new { day = "2020-02-18", staffAtWork = 12 })).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await official.PostAsJsonAsync("/api/v1/enterprises/sx-1/staff", new { day = "2020-02-18", staffAtWork = 45 })).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await official.PostAsJsonAsync("/api/v1/enterprises/sx-1/staff", new { day = "2020-02-18", staffAtWork = -1 })).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await official.PostAsJsonAsync("/api/v1/enterprises/nobody/staff", new { day = "2020-02-18", staffAtWork = 1 })).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        var figures = await Get(official, $"/api/v1/counties/{county}/resumption?day=2020-02-18");
        figures.Int("staffAtWork").ShouldBe(57);
        figures.Int("staffReports").ShouldBe(2);
        figures.Int("enterprises").ShouldBe(1);
        figures["index"]!.GetValue<double>().ShouldBe(75.0);
    }

    [Fact]
    public async Task Only_ingest_admins_and_the_countys_officials_write_and_everyone_reads()
    {
        using var worker = app.As("grid-worker", cells: "330782-001-001");
        using var otherOfficial = app.As("county-official", "330106");
        using var official = app.As("county-official", "330782");
        var body = new { county = "330782", name = "Yiwu Socks", industry = "textiles", baselineKwhPerDay = 1000 };

        (await worker.PutAsJsonAsync("/api/v1/enterprises/socks-1", body)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await otherOfficial.PutAsJsonAsync("/api/v1/enterprises/socks-1", body)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await official.PutAsJsonAsync("/api/v1/enterprises/socks-1", body)).StatusCode.ShouldBe(HttpStatusCode.Forbidden, "new ids come from ingest or an admin");
        (await app.Admin().PutAsJsonAsync("/api/v1/enterprises/socks-1", body)).StatusCode.ShouldBe(HttpStatusCode.Created);
        (await official.PutAsJsonAsync("/api/v1/enterprises/socks-1", body)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await app.Admin().PutAsJsonAsync("/api/v1/enterprises/socks-1", body with { county = "330106" })).StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await worker.PostAsync("/api/v1/enterprises/readings", ResumptionApp.Csv("enterpriseId,day,kwh\n"))).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        var fromOther = await app.Upload(otherOfficial, ResumptionApp.Csv("enterpriseId,day,kwh\nsocks-1,2020-02-19,500\n"));
        fromOther["errors"]!.AsArray().Single()!["field"]!.GetValue<string>().ShouldBe("enterpriseId");
        (await worker.GetAsync("/api/v1/counties/330782/resumption")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await worker.GetAsync("/api/v1/counties/999999/resumption")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task An_enterprise_registration_is_validated_field_by_field()
    {
        var response = await app.Admin().PutAsJsonAsync("/api/v1/enterprises/bad-1",
            new { county = "330782", cellId = "330106-001-001", name = " ", baselineKwhPerDay = 0 });

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var errors = (await response.Body())["errors"]!.AsObject().Select(e => e.Key).Order().ToList();
        errors.ShouldBe(["baselineKwhPerDay", "cellId", "industry", "name"]);
    }

    [Fact]
    public async Task Enterprises_register_in_bulk_with_an_error_per_item()
    {
        await app.RegisterEnterprise("nb-taken", "330203");
        using var ingest = app.As("ingest");
        var items = new JsonArray(
            new JsonObject { ["id"] = "nb-1", ["county"] = "330203", ["name"] = "Ningbo Port Works", ["industry"] = "logistics", ["baselineKwhPerDay"] = 5000 },
            new JsonObject { ["id"] = "nb-2", ["county"] = "330203", ["name"] = "Ningbo Moulds", ["industry"] = "machinery" },
            new JsonObject { ["id"] = "nb-taken", ["county"] = "330205", ["name"] = "Moved", ["industry"] = "machinery", ["baselineKwhPerDay"] = 10 },
            new JsonObject { ["id"] = "nb-taken", ["county"] = "330203", ["name"] = "Enterprise nb-taken", ["industry"] = "textiles", ["baselineKwhPerDay"] = 100 });

        var result = await ingest.PostAsJsonAsync("/api/v1/enterprises", items);

        var body = await result.Body();
        body.Int("created").ShouldBe(1);
        body.Int("unchanged").ShouldBe(1);
        body["errors"]!.AsArray().Select(e => (e!["line"]!.GetValue<int>(), e["field"]!.GetValue<string>())).ShouldBe([(2, "baselineKwhPerDay"), (3, "county")]);
        (await Get(ingest, "/api/v1/enterprises/nb-1"))["baselineKwhPerDay"]!.GetValue<double>().ShouldBe(5000);
    }

    [Fact]
    public async Task A_county_lagging_the_province_by_more_than_the_margin_for_three_days_alerts_its_officials()
    {
        // 330522 produces at full baseline; 330523 at 40%, 55 points behind, on 17, 18 and 19 Feb.
        await app.RegisterEnterprise("hu-full", "330522");
        await app.RegisterEnterprise("hu-slow", "330523");
        using var ingest = app.As("ingest");
        var csv = "enterpriseId,day,kwh\n" + string.Join("", new[] { "17", "18", "19" }
            .Select(d => $"hu-full,2020-02-{d},100\nhu-slow,2020-02-{d},40\n"));
        await app.Upload(ingest, ResumptionApp.Csv(csv));

        using var official = app.As("county-official", "330523");
        await Eventually.True(async () =>
            (await official.GetAsync("/api/v1/alerts/resumption-lag:330523:2020-02-19")).IsSuccessStatusCode, TimeSpan.FromSeconds(15));
        (await official.GetAsync("/api/v1/alerts/resumption-lag:330523:2020-02-18")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await app.Admin().GetAsync("/api/v1/alerts/resumption-lag:330522:2020-02-19")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    static async Task<JsonObject> Get(HttpClient client, string path)
    {
        var response = await client.GetAsync(path);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await response.Body();
    }
}
