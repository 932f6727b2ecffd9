using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using EpiGrid.Tests.Infrastructure;
using EpiGrid.Tests.People;
using EpiGrid.WebHost.Auth;

namespace EpiGrid.Tests.Security;

/// <summary>
/// A person's name is the one personal field in clear in the store: the history shows it masked to everyone by
/// default; an admin who gives a reason sees it, and that view is itself an event (who, when, why).
/// </summary>
public sealed class PersonalDataViewTests(EpiGridApp app) : IClassFixture<EpiGridApp>
{
    const string Cell = "330106-001-001", Name = "李四", Reason = "Complaint 2020-0217: the family asks who reported the arrival";

    async Task<string> ReportArrival()
    {
        await app.RegisterCell(Cell);
        using var ingest = app.As(Roles.Ingest);
        var response = await ingest.PostAsJsonAsync($"/api/v1/cells/{Cell}/travellers", new
        {
            idNumber = ResidentIdTests.Make(420106, new DateOnly(1990, 1, 2), 31), name = Name, phone = "13700001111",
            origin = new { area = "武汉 Wuhan", risk = "high" }, arrivedAt = EpiGridApp.Start.AddHours(-1).ToString("O"),
            mode = "rail", source = "rail", sourceRecordId = "view-1",
        });
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Body())["personRef"]!.GetValue<string>();
    }

    /// <summary>The name as it would appear in text, raw or JSON-escaped (\u674E\u56DB).</summary>
    static bool HasName(string text) => text.Contains(Name)
        || text.Contains(System.Text.Json.JsonSerializer.Serialize(Name).Trim('"'), StringComparison.OrdinalIgnoreCase);

    async Task<List<JsonObject>> Views(string actor) =>
        (await Audit(app.As(Roles.Auditor), $"/api/v1/audit/events?stream=audit:{actor}&kind=personal_data_viewed&pageSize=1000"))
            ["events"]!.AsArray().Select(e => e!.AsObject()).ToList();

    static async Task<JsonObject> Audit(HttpClient client, string path)
    {
        using (client)
        {
            var response = await client.GetAsync(path);
            var body = await response.Content.ReadAsStringAsync();
            response.StatusCode.ShouldBe(HttpStatusCode.OK, body);
            return JsonNode.Parse(body)!.AsObject();
        }
    }

    [Fact]
    public async Task The_history_masks_personal_data_by_default_and_shows_it_only_to_an_admin_with_a_reason_which_is_recorded()
    {
        var personRef = await ReportArrival();
        var events = $"/api/v1/audit/events?stream=person:{personRef}";

        foreach (var role in new[] { Roles.Auditor, Roles.ProvinceOfficial, Roles.Admin })
        {
            var masked = await Audit(app.As(role), events);
            HasName(masked.ToJsonString()).ShouldBeFalse(role);
            masked["events"]!.AsArray().Single(e => e!["kind"]!.GetValue<string>() == "arrival_reported")!["data"]!["name"]!.GetValue<string>().ShouldBe("***");
            using var exporter = app.As(role);
            HasName(await exporter.GetStringAsync("/api/v1/audit/export?format=csv")).ShouldBeFalse($"{role}'s default CSV export");
            HasName(await exporter.GetStringAsync("/api/v1/audit/export")).ShouldBeFalse($"{role}'s default NDJSON export");
        }

        using (var auditor = app.As(Roles.Auditor))
        {
            var refused = await auditor.GetAsync($"{events}&personalData=clear&reason={Uri.EscapeDataString(Reason)}");
            refused.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
            HasName(await refused.Content.ReadAsStringAsync()).ShouldBeFalse();
        }
        using (var admin = app.As(Roles.Admin))
        {
            foreach (var reason in new[] { "", "&reason=because", "&reason=" + new string('x', 501) })
            {
                var noReason = await admin.GetAsync($"{events}&personalData=clear{reason}");
                noReason.StatusCode.ShouldBe(HttpStatusCode.BadRequest, reason);
                (await noReason.Body())["errors"]!.AsObject().ContainsKey("reason").ShouldBeTrue();
            }
            (await admin.GetAsync($"{events}&personalData=everything")).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        }
        (await Views("test-admin")).ShouldBeEmpty("refused requests show nothing and record no view");

        var before = app.Clock.GetUtcNow();
        var clear = await Audit(app.As(Roles.Admin), $"{events}&personalData=clear&reason={Uri.EscapeDataString(Reason)}");
        clear["events"]!.AsArray().Single(e => e!["kind"]!.GetValue<string>() == "arrival_reported")!["data"]!["name"]!.GetValue<string>().ShouldBe(Name);
        using (var admin = app.As(Roles.Admin))
            // One county in clear (answered, and recorded below); the whole province in clear, where persons' streams
            // and so their names are, is an auditor's under a ticket reference (ClearExportTests).
            (await admin.GetAsync($"/api/v1/audit/export?county=330106&format=csv&personalData=clear&reason={Uri.EscapeDataString(Reason)}"))
                .StatusCode.ShouldBe(HttpStatusCode.OK);

        var views = await Views("test-admin");
        views.Count.ShouldBe(2);
        views.ShouldAllBe(v => v["actor"]!.GetValue<string>() == "test-admin" && v["reason"]!.GetValue<string>() == Reason);
        views.ShouldAllBe(v => v["recordedAt"]!.GetValue<DateTimeOffset>() >= before);
        views.Select(v => v["data"]!["endpoint"]!.GetValue<string>()).ShouldBe(["events", "export"]);
        views[0]["data"]!["query"]!["stream"]!.GetValue<string>().ShouldBe($"person:{personRef}");
        views[0]["data"]!["role"]!.GetValue<string>().ShouldBe(Roles.Admin);
    }
}
