using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using EpiGrid.Tests.Infrastructure;
using EpiGrid.WebHost.Auth;

namespace EpiGrid.Tests.People;

/// <summary>
/// Issue 14, "Jurisdiction and personal data": a report about a person on record elsewhere, batch travellers with
/// an identity, and who learns a health code's reasons.
/// </summary>
public sealed class PersonJurisdictionTests(EpiGridApp app) : IClassFixture<EpiGridApp>
{
    // Cell A is in county 330110 (Hangzhou Yuhang), cell B in county 330212 (Ningbo Yinzhou).
    // Each test has cells of its own: the class shares one platform.
    const string CellA = "330110-007-001", CellB = "330212-007-001", OtherA = "330110-007-002", OtherB = "330212-007-002", BatchCell = "330110-007-003";
    static readonly DateTimeOffset Arrived = EpiGridApp.Start.AddHours(-2);

    static string Id(int n) => ResidentIdTests.Make(510104, new DateOnly(1988, 7, 9), n);

    static JsonObject Arrival(string idNumber, string recordId, string risk = "low", object? extra = null)
    {
        var body = new JsonObject
        {
            ["idNumber"] = idNumber, ["name"] = "李四", ["phone"] = "13712345678",
            ["origin"] = new JsonObject { ["area"] = "成都 Chengdu", ["risk"] = risk },
            ["arrivedAt"] = Arrived.ToString("O"), ["mode"] = "rail", ["source"] = "rail", ["sourceRecordId"] = recordId,
        };
        if (extra is not null)
            foreach (var (key, value) in JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(extra))!.AsObject()) body[key] = value?.DeepClone();
        return body;
    }

    async Task<JsonObject> ArriveBySource(string cellId, string idNumber, string recordId, string risk = "low", object? extra = null)
    {
        using var ingest = app.As(Roles.Ingest);
        var response = await ingest.PostAsJsonAsync($"/api/v1/cells/{cellId}/travellers", Arrival(idNumber, recordId, risk, extra));
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return await response.Body();
    }

    Task<List<string>> EventsOf(string personRef) =>
        app.Database.Rows($"select type from epigrid.mt_events where stream_id = 'person:{personRef}' order by version", r => r.GetString(0));

    async Task<JsonArray> TravellersOf(string cellId) => (await app.Admin().GetFromJsonAsync<JsonObject>($"/api/v1/cells/{cellId}"))!["travellers"]!.AsArray();

    /// <summary>A new journey (not the same one corroborated) that would re-code the person red.</summary>
    static readonly object Takeover = new { origin = new { area = "宁波 Ningbo", risk = "low" }, closeContactOf = "nb-case-3", symptoms = new[] { "fever" } };

    [Fact]
    public async Task A_grid_worker_of_another_county_reporting_a_person_on_record_neither_moves_nor_recodes_them_and_the_report_is_recorded()
    {
        await app.RegisterCell(CellA);
        await app.RegisterCell(CellB);
        var first = await ArriveBySource(CellA, Id(1), "j-1");
        var personRef = first["personRef"]!.GetValue<string>();
        using var admin = app.Admin();
        var before = (await admin.GetFromJsonAsync<JsonObject>($"/api/v1/codes/{personRef}"))!;
        before["colour"]!.GetValue<string>().ShouldBe("green");

        using var workerB = app.As(Roles.GridWorker, cells: CellB);
        var takeover = await workerB.PostAsJsonAsync($"/api/v1/cells/{CellB}/travellers",
            Arrival(Id(1), "takeover-1", "low", Takeover));

        var answer = await takeover.Content.ReadAsStringAsync();
        takeover.StatusCode.ShouldBe(HttpStatusCode.Accepted, answer);
        var body = JsonNode.Parse(answer)!.AsObject();
        body["applied"]!.GetValue<bool>().ShouldBeFalse();
        body["code"]!["reason"].ShouldBeNull("the caller has no jurisdiction over the person's cell: no reasons");
        var after = (await admin.GetFromJsonAsync<JsonObject>($"/api/v1/codes/{personRef}"))!;
        after["colour"]!.GetValue<string>().ShouldBe("green", "the code is unchanged");
        after["reason"]!.GetValue<string>().ShouldBe(before["reason"]!.GetValue<string>());
        (await TravellersOf(CellB)).ShouldBeEmpty("the person was not moved into cell B");
        (await TravellersOf(CellA)).Count.ShouldBe(1);
        var events = await EventsOf(personRef);
        events.Count(t => t == "arrival_reported").ShouldBe(1);
        events.Count(t => t == "health_code_changed").ShouldBe(1);
        events.ShouldContain("arrival_report_not_applied", "the report is on record all the same");

        // The same report again changes nothing more.
        var again = await workerB.PostAsJsonAsync($"/api/v1/cells/{CellB}/travellers",
            Arrival(Id(1), "takeover-1", "low", Takeover));
        again.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await again.Body())["duplicate"]!.GetValue<bool>().ShouldBeTrue();
        (await EventsOf(personRef)).Count(t => t == "arrival_report_not_applied").ShouldBe(1);
    }

    [Fact]
    public async Task A_source_system_does_move_a_person_on_record_elsewhere_and_recode_them()
    {
        await app.RegisterCell(OtherA);
        await app.RegisterCell(OtherB);
        var personRef = (await ArriveBySource(OtherA, Id(2), "j-2"))["personRef"]!.GetValue<string>();

        var moved = await ArriveBySource(OtherB, Id(2), "j-2b", "low", new { origin = new { area = "宁波 Ningbo", risk = "low" }, closeContactOf = "nb-case-4" });

        moved["personRef"]!.GetValue<string>().ShouldBe(personRef);
        moved["applied"]!.GetValue<bool>().ShouldBeTrue();
        using var workerB = app.As(Roles.GridWorker, cells: OtherB);
        var code = (await workerB.GetFromJsonAsync<JsonObject>($"/api/v1/codes/{personRef}"))!;
        code["colour"]!.GetValue<string>().ShouldBe("red");
        code["reason"]!.GetValue<string>().ShouldContain("nb-case-4", customMessage: "the person is now in the worker's cell");
        (await TravellersOf(OtherB)).ShouldContain(t => t!["travellerId"]!.GetValue<string>() == moved["arrivalId"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_batch_traveller_with_an_identity_gets_a_person_a_code_and_a_quarantine_like_the_single_endpoint()
    {
        await app.RegisterCell(BatchCell);
        using var ingest = app.As(Roles.Ingest);
        var item = new JsonObject
        {
            ["type"] = "traveller", ["cellId"] = BatchCell, ["idNumber"] = Id(3), ["originArea"] = "武汉 Wuhan", ["originRisk"] = "high",
            ["arrivedAt"] = Arrived.ToString("O"), ["mode"] = "rail", ["source"] = "rail", ["sourceRecordId"] = "batch-3",
        };
        var symptomsOnly = new JsonObject
        {
            ["type"] = "traveller", ["cellId"] = BatchCell, ["originArea"] = "宁波", ["originRisk"] = "low",
            ["arrivedAt"] = Arrived.ToString("O"), ["symptoms"] = new JsonArray("cough"),
        };
        var response = await ingest.PostAsJsonAsync("/api/v1/reports:batch", new JsonObject { ["items"] = new JsonArray(item, symptomsOnly) });

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var results = (await response.Body())["results"]!.AsArray();
        results[0]!["status"]!.GetValue<int>().ShouldBe(201, results.ToJsonString());
        var personRef = results[0]!["personRef"]?.GetValue<string>();
        personRef.ShouldNotBeNull("a batch traveller with an identity is a person: " + results.ToJsonString());
        using var worker = app.As(Roles.GridWorker, cells: BatchCell);
        (await worker.GetFromJsonAsync<JsonObject>($"/api/v1/codes/{personRef}"))!["colour"]!.GetValue<string>().ShouldBe("red");
        var traveller = (await TravellersOf(BatchCell)).Single(t => t!["travellerId"]!.GetValue<string>() == results[0]!["id"]!.GetValue<string>());
        traveller!["quarantine"]!.GetValue<string>().ShouldBe("home, red, 14 days");

        results[1]!["status"]!.GetValue<int>().ShouldBe(400, "symptoms belong to a person: an identity is required");
        results[1]!["problem"]!["errors"]!.AsObject().ContainsKey("items[1].idNumber").ShouldBeTrue(results.ToJsonString());
    }
}
