using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using EpiGrid.Cells;
using EpiGrid.People;
using EpiGrid.Tests.Infrastructure;
using EpiGrid.WebHost.Auth;

namespace EpiGrid.Tests.Officials;

/// <summary>Epidemic curves (issue 17): by report and by onset, a county's and the province's, with 7-day means.</summary>
public sealed class EpiCurveTests(LineListApp app) : IClassFixture<LineListApp>
{
    const string Jiaxing = "330402", Cell = "330402-301-001";

    [Fact]
    public void Each_day_counts_its_cases_by_kind_and_the_mean_of_the_seven_days_ending_it()
    {
        var d = new DateOnly(2020, 2, 10);
        var cases = new[] { (d.AddDays(-6), CaseKind.Confirmed), (d, CaseKind.Confirmed), (d, CaseKind.Confirmed), (d, CaseKind.Suspected), (d.AddDays(1), CaseKind.Asymptomatic) };
        var days = EpiCurves.Days(cases, d, d.AddDays(1));
        days.Select(x => x.Date).ShouldBe([d, d.AddDays(1)]);
        days[0].Confirmed.ShouldBe(2);
        days[0].Suspected.ShouldBe(1);
        days[0].ConfirmedAverage7.ShouldBe(Math.Round(3 / 7.0, 2), "the case six days before counts in the first day's mean");
        days[1].ConfirmedAverage7.ShouldBe(Math.Round(2 / 7.0, 2), "seven days before no longer does");
        days[1].Asymptomatic.ShouldBe(1);
        days[1].AsymptomaticAverage7.ShouldBe(Math.Round(1 / 7.0, 2));
    }

    [Fact]
    public async Task A_case_with_an_onset_date_is_on_both_curves_on_its_days_and_a_case_ruled_out_on_neither()
    {
        await app.RegisterCell(Cell);
        using var ingest = app.As(Roles.Ingest);
        var offset = TimeSpan.FromHours(8);
        var reported = new DateTimeOffset(2020, 2, 14, 15, 0, 0, offset);
        var onset = new DateTimeOffset(2020, 2, 9, 8, 0, 0, offset);
        (await ingest.PostAsJsonAsync($"/api/v1/cells/{Cell}/cases", new { caseId = "jx-1", kind = "confirmed", local = true, occurredAt = reported.ToString("O"), onsetAt = onset.ToString("O") }))
            .StatusCode.ShouldBe(HttpStatusCode.Created);
        (await ingest.PostAsJsonAsync($"/api/v1/cells/{Cell}/cases", new { caseId = "jx-2", kind = "suspected", local = true, occurredAt = reported.ToString("O") }))
            .StatusCode.ShouldBe(HttpStatusCode.Created);
        (await ingest.PostAsJsonAsync($"/api/v1/cells/{Cell}/cases", new { caseId = "jx-3", kind = "confirmed", local = true, occurredAt = reported.ToString("O"), onsetAt = onset.ToString("O") }))
            .StatusCode.ShouldBe(HttpStatusCode.Created);
        (await ingest.PostAsJsonAsync($"/api/v1/cells/{Cell}/cases/jx-3/status", new { status = "ruled-out", occurredAt = reported.AddDays(1).ToString("O") }))
            .IsSuccessStatusCode.ShouldBeTrue();

        using var worker = app.As(Roles.GridWorker, null, Cell);
        async Task<JsonObject> Curve(string path) => (await worker.GetFromJsonAsync<JsonObject>(path))!;
        JsonObject Day(JsonObject curve, string date) => curve["days"]!.AsArray().Single(d => d!["date"]!.GetValue<string>() == date)!.AsObject();
        foreach (var path in new[] { $"/api/v1/counties/{Jiaxing}/epicurve", "/api/v1/province/epicurve" })
        {
            var byReport = await Curve($"{path}?from=2020-02-08&to=2020-02-16");
            byReport["by"]!.GetValue<string>().ShouldBe("report");
            byReport["days"]!.AsArray().Count.ShouldBe(9);
            Day(byReport, "2020-02-14")["confirmed"]!.GetValue<int>().ShouldBe(1, "jx-3 was ruled out");
            Day(byReport, "2020-02-14")["suspected"]!.GetValue<int>().ShouldBe(1);
            Day(byReport, "2020-02-09")["confirmed"]!.GetValue<int>().ShouldBe(0);
            Day(byReport, "2020-02-16")["confirmedAverage7"]!.GetValue<double>().ShouldBe(Math.Round(1 / 7.0, 2));
            byReport["withoutOnset"]!.GetValue<int>().ShouldBe(1, "jx-2 gave no onset");

            var byOnset = await Curve($"{path}?from=2020-02-08&to=2020-02-16&by=onset");
            Day(byOnset, "2020-02-09")["confirmed"]!.GetValue<int>().ShouldBe(1);
            Day(byOnset, "2020-02-14")["confirmed"]!.GetValue<int>().ShouldBe(0);
            byOnset["days"]!.AsArray().Sum(d => d!["suspected"]!.GetValue<int>()).ShouldBe(0, "a case without onset is not on the onset curve");
        }
        (await worker.GetFromJsonAsync<JsonObject>($"/api/v1/counties/{Jiaxing}/cases?cell={Cell}"))!["items"]!.AsArray()
            .Single(i => i!["caseId"]!.GetValue<string>() == "jx-1")!["onsetAt"]!.GetValue<DateTimeOffset>().ShouldBe(onset);

        // An onset after the report is refused; the same case again with another onset is another report of it: 409.
        var late = await ingest.PostAsJsonAsync($"/api/v1/cells/{Cell}/cases", new { caseId = "jx-4", kind = "confirmed", local = true, occurredAt = reported.ToString("O"), onsetAt = reported.AddDays(1).ToString("O") });
        late.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await late.Body())["errors"]!["onsetAt"].ShouldNotBeNull();
        (await ingest.PostAsJsonAsync($"/api/v1/cells/{Cell}/cases", new { caseId = "jx-1", kind = "confirmed", local = true, occurredAt = reported.ToString("O"), onsetAt = onset.AddDays(1).ToString("O") }))
            .StatusCode.ShouldBe(HttpStatusCode.Conflict);
        foreach (var (query, field) in new[] { ("by=symptoms", "by"), ("from=2020-02-30", "from"), ("from=2020-02-10&to=2020-02-01", "from"), ("from=2019-01-01&to=2020-02-01", "from") })
        {
            var bad = await worker.GetAsync($"/api/v1/counties/{Jiaxing}/epicurve?{query}");
            bad.StatusCode.ShouldBe(HttpStatusCode.BadRequest, query);
            (await bad.Body())["errors"]![field].ShouldNotBeNull(query);
        }
    }
}
