using System.Net;
using System.Text.Json.Nodes;
using EpiGrid.Tests.Infrastructure;

namespace EpiGrid.Tests.Audit;

/// <summary>A case that occurred on Monday but was reported on Wednesday, read as of Tuesday in two times.</summary>
[Collection(AuditApp.Collection)]
public sealed class LateReportTests(AuditApp app) : IClassFixture<AuditApp>
{
    static readonly TimeSpan Zhejiang = TimeSpan.FromHours(8);
    static readonly DateTimeOffset Monday = new(2020, 2, 24, 9, 0, 0, Zhejiang);
    static readonly DateTimeOffset Tuesday = Monday.AddDays(1).AddHours(3);
    static readonly DateTimeOffset Wednesday = Monday.AddDays(2);
    static readonly DateTimeOffset Thursday = Monday.AddDays(3).AddHours(3);
    const string County = "330782", Cell = "330782-001-001";

    [Fact]
    public async Task As_of_Tuesday_known_on_Tuesday_and_known_on_Thursday_differ_exactly_by_the_late_report()
    {
        await app.RegisterCell(Cell);
        app.AdvanceTo(Monday);
        await app.Report(Cell, "on-time", occurredAt: Monday);
        app.AdvanceTo(Wednesday);
        await app.Report(Cell, "late", occurredAt: Monday.AddHours(-1));
        app.AdvanceTo(Thursday);

        var knownThen = await app.Get($"/api/v1/cells/{Cell}?asOf={AuditApp.Q(Tuesday)}&knownAt={AuditApp.Q(Tuesday)}");
        var knownLater = await app.Get($"/api/v1/cells/{Cell}?asOf={AuditApp.Q(Tuesday)}&knownAt={AuditApp.Q(Thursday)}");
        var then = CaseIds(knownThen);
        var later = CaseIds(knownLater);
        then.ShouldBe(["on-time"]);
        later.Except(then).ShouldBe(["late"]);
        then.Except(later).ShouldBeEmpty();

        var countyThen = await app.Get($"/api/v1/counties/{County}?asOf={AuditApp.Q(Tuesday)}&knownAt={AuditApp.Q(Tuesday)}");
        var countyLater = await app.Get($"/api/v1/counties/{County}?asOf={AuditApp.Q(Tuesday)}&knownAt={AuditApp.Q(Thursday)}");
        countyThen.Int("confirmedTotal").ShouldBe(1);
        countyLater.Int("confirmedTotal").ShouldBe(2);

        var provinceThen = await app.Get($"/api/v1/province?asOf={AuditApp.Q(Tuesday)}&knownAt={AuditApp.Q(Tuesday)}");
        var provinceLater = await app.Get($"/api/v1/province?asOf={AuditApp.Q(Tuesday)}&knownAt={AuditApp.Q(Thursday)}");
        (provinceLater["totals"]!.AsObject().Int("confirmedTotal") - provinceThen["totals"]!.AsObject().Int("confirmedTotal")).ShouldBe(1);
    }

    [Fact]
    public async Task The_timeline_of_a_cell_shows_who_reported_what_and_when_it_occurred_and_was_recorded()
    {
        const string cell = "330783-001-001";
        await app.RegisterCell(cell);
        await app.Report(cell, "timeline-case", occurredAt: app.Clock.GetUtcNow().AddHours(-2));

        var page = await app.Get($"/api/v1/audit/events?stream=cell:{cell}&kind=case_reported");
        var e = page["events"]!.AsArray().ShouldHaveSingleItem()!.AsObject();
        e["kind"]!.GetValue<string>().ShouldBe("case_reported");
        e["actor"]!.GetValue<string>().ShouldBe("test-ingest");
        e["source"]!.GetValue<string>().ShouldBe("api");
        (e["recordedAt"]!.GetValue<DateTimeOffset>() - e["occurredAt"]!.GetValue<DateTimeOffset>()).ShouldBe(TimeSpan.FromHours(2));
        page["hasMore"]!.GetValue<bool>().ShouldBeFalse();
    }

    [Fact]
    public async Task Each_audit_query_is_itself_recorded_with_who_asked_what()
    {
        using var auditor = app.As("auditor");
        await app.Get($"/api/v1/counties/{County}?asOf={AuditApp.Q(Tuesday)}", auditor);

        var trail = await app.Get("/api/v1/audit/events?stream=audit:test-auditor&kind=audit_queried&pageSize=1000");
        trail["events"]!.AsArray().Select(e => e!["data"]!.AsObject())
            .ShouldContain(d => d["endpoint"]!.GetValue<string>() == "county" && d["query"]!["route.code"]!.GetValue<string>() == County);
    }

    [Fact]
    public async Task A_county_official_reads_the_history_of_their_own_county_only()
    {
        using var official = app.As("county-official", County);
        (await official.GetAsync($"/api/v1/audit/events?county={County}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await official.GetAsync("/api/v1/audit/events?county=330106")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await official.GetAsync("/api/v1/audit/events?stream=cell:330106-001-001")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await official.GetAsync("/api/v1/audit/export")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        using var worker = app.As("grid-worker", cells: Cell);
        (await worker.GetAsync($"/api/v1/audit/events?stream=cell:{Cell}")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task The_export_streams_a_countys_events_as_ndjson_and_csv()
    {
        const string county = "330784", cell = "330784-001-001";
        await app.RegisterCell(cell);
        await app.Report(cell, "export-case");
        await Eventually.True(async () => (await app.County(county)).Int("confirmedTotal") == 1, TimeSpan.FromSeconds(10));
        using var auditor = app.Auditor();

        var ndjson = await auditor.GetAsync($"/api/v1/audit/export?county={county}&format=ndjson");
        ndjson.StatusCode.ShouldBe(HttpStatusCode.OK);
        var lines = (await ndjson.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Length.ShouldBe(int.Parse(ndjson.Headers.GetValues("X-Event-Count").Single()));
        lines.Select(l => JsonNode.Parse(l)!["stream"]!.GetValue<string>()).ShouldAllBe(s => s.StartsWith("cell:330784-") || s == "county:330784");
        lines.ShouldContain(l => l.Contains("\"export-case\""));

        var csv = await auditor.GetAsync($"/api/v1/audit/export?county={county}&format=csv");
        var rows = (await csv.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        rows[0].ShouldStartWith("seq,stream,version,kind,occurredAt,recordedAt,actor,source");
        rows.Length.ShouldBe(lines.Length + 1);
    }

    static List<string> CaseIds(JsonObject cell) =>
        cell["cases"]!.AsArray().Select(c => c!["caseId"]!.GetValue<string>()).Order().ToList();
}
