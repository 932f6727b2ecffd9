using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using EpiGrid.Tests.Infrastructure;
using EpiGrid.Tests.People;
using EpiGrid.WebHost.Auth;

namespace EpiGrid.Tests.Security;

/// <summary>
/// The largest disclosure EpiGrid can make is every person of the province in clear, in one file. It is an auditor's act
/// under a named case or ticket, and what left is recorded: rows and bytes, once the export has been written.
/// </summary>
public sealed class ClearExportTests(EpiGridApp app) : IClassFixture<EpiGridApp>
{
    const string Cell = "330106-004-001", Name = "王五";

    async Task ReportArrival()
    {
        await app.RegisterCell(Cell);
        using var ingest = app.As(Roles.Ingest);
        var response = await ingest.PostAsJsonAsync($"/api/v1/cells/{Cell}/travellers", new
        {
            idNumber = ResidentIdTests.Make(420106, new DateOnly(1985, 3, 4), 17), name = Name,
            origin = new { area = "武汉 Wuhan", risk = "high" }, arrivedAt = EpiGridApp.Start.AddHours(-1).ToString("O"),
            mode = "rail", source = "rail", sourceRecordId = "clear-1",
        });
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
    }

    static string Clear(string reason, string? county = null) =>
        $"/api/v1/audit/export?personalData=clear&reason={Uri.EscapeDataString(reason)}" + (county is null ? "" : $"&county={county}");

    [Fact]
    public async Task A_province_wide_clear_export_needs_an_auditor_and_a_ticket_and_records_rows_and_bytes()
    {
        await ReportArrival();
        const string vague = "Checking what the platform holds", ticketed = "Ticket INC-2041: the family's complaint about the arrival report";

        using (var admin = app.As(Roles.Admin))
        {
            var refused = await admin.GetAsync(Clear(ticketed));
            refused.StatusCode.ShouldBe(HttpStatusCode.Forbidden, "an admin does not take the whole province in clear");
            (await refused.Content.ReadAsStringAsync()).ShouldNotContain(Name);
            (await admin.GetAsync(Clear(ticketed, county: "330106"))).StatusCode.ShouldBe(HttpStatusCode.OK, "one county, as before");
        }
        using var auditor = app.As(Roles.Auditor);
        var noTicket = await auditor.GetAsync(Clear(vague));
        noTicket.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await noTicket.Body())["errors"]!.AsObject().ContainsKey("reason").ShouldBeTrue();

        var export = await auditor.GetAsync(Clear(ticketed));
        export.StatusCode.ShouldBe(HttpStatusCode.OK, await export.Content.ReadAsStringAsync());
        var bytes = await export.Content.ReadAsByteArrayAsync();
        System.Text.Encoding.UTF8.GetString(bytes).ShouldContain(Name);
        var rows = long.Parse(export.Headers.GetValues("X-Event-Count").Single());

        JsonObject? receipt = null;
        await Eventually.True(async () =>
        {
            var page = await auditor.GetFromJsonAsync<JsonObject>("/api/v1/audit/events?stream=audit:test-auditor&kind=export_completed");
            receipt = page!["events"]!.AsArray().LastOrDefault()?.AsObject();
            return receipt is not null;
        }, TimeSpan.FromSeconds(10));
        var data = receipt!["data"]!;
        data["rows"]!.GetValue<long>().ShouldBe(rows);
        data["bytes"]!.GetValue<long>().ShouldBe(bytes.LongLength);
        data["complete"]!.GetValue<bool>().ShouldBeTrue();
        data["personalData"]!.GetValue<string>().ShouldBe("clear");
        receipt["reason"]!.GetValue<string>().ShouldBe(ticketed);
    }
}
