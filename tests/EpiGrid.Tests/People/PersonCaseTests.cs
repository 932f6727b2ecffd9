using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using EpiGrid.Tests.Alerts;
using EpiGrid.Tests.Infrastructure;
using EpiGrid.WebHost.Auth;

namespace EpiGrid.Tests.People;

public sealed class PersonCaseApp : PushApp;

/// <summary>
/// A case is a person (issue 16): a case reported with the person's identity number turns their health code red at once,
/// with the reason, and alerts the grid workers of the cell where the person stays (which may not be the case's cell);
/// ruled out, the code is what the other facts say again; recovered, a post-discharge observation. All are events of the
/// person's stream, replayable.
/// </summary>
public sealed class PersonCaseTests(PersonCaseApp app) : IClassFixture<PersonCaseApp>
{
    const string HomeCell = "330106-301-001", HospitalCell = "330106-301-002", OtherCell = "330106-301-003";
    static string Id(int n) => ResidentIdTests.Make(330106, new DateOnly(1979, 5, 6), n);

    async Task<string> Colour(HttpClient client, string personRef) =>
        (await client.GetFromJsonAsync<JsonObject>($"/api/v1/codes/{personRef}"))!["colour"]!.GetValue<string>();

    [Fact]
    public async Task A_confirmed_case_turns_the_persons_code_red_within_a_second_and_alerts_their_cells_worker_and_ruled_out_returns_it()
    {
        await app.RegisterCell(HomeCell);
        await app.RegisterCell(HospitalCell);
        await app.RegisterCell(OtherCell);
        using var ingest = app.As(Roles.Ingest);
        using var official = app.As(Roles.CountyOfficial, "330106");
        // The person stays in HomeCell (an arrival from a low-risk area: green); the hospital reports the case in its own cell.
        var arrived = await (await ingest.PostAsJsonAsync($"/api/v1/cells/{HomeCell}/travellers", new
        {
            idNumber = Id(1), origin = new { area = "上海 Shanghai", risk = "low" }, arrivedAt = app.Clock.GetUtcNow().AddDays(-2).ToString("O"),
            mode = "rail", source = "rail", sourceRecordId = "pc-1",
        })).Body();
        var personRef = arrived["personRef"]!.GetValue<string>();
        (await Colour(official, personRef)).ShouldBe("green");
        await using var homeWorker = await DotNetAlertClient.Connect(app.BaseAddress, app.Token(Roles.GridWorker, cells: HomeCell));
        await using var otherWorker = await DotNetAlertClient.Connect(app.BaseAddress, app.Token(Roles.GridWorker, cells: OtherCell));

        var clock = Stopwatch.StartNew();
        var reported = await ingest.PostAsJsonAsync($"/api/v1/cells/{HospitalCell}/cases", new
        {
            caseId = "pc-case-1", kind = "confirmed", local = true, occurredAt = app.Clock.GetUtcNow().AddHours(-1).ToString("O"), idNumber = Id(1),
        });
        reported.StatusCode.ShouldBe(HttpStatusCode.Created, await reported.Content.ReadAsStringAsync());
        var body = await reported.Body();
        body["personRef"]!.GetValue<string>().ShouldBe(personRef, "the answer names the person the case is");
        (await reported.Content.ReadAsStringAsync()).ShouldNotContain(Id(1), customMessage: "no identity number in any answer");

        var code = await official.GetFromJsonAsync<JsonObject>($"/api/v1/codes/{personRef}");
        clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(1), "red by the time the report is answered");
        code!["colour"]!.GetValue<string>().ShouldBe("red");
        code["reason"]!.GetValue<string>().ShouldContain("Confirmed case pc-case-1");
        var alert = await homeWorker.WaitFor(r => r.Kind == "person-case" && r.Alert["subject"]!["personRef"]!.GetValue<string>() == personRef,
            TimeSpan.FromSeconds(5));
        alert.Alert["cellId"]!.GetValue<string>().ShouldBe(HomeCell, "the person's cell, not the hospital's");
        alert.Alert["severity"]!.GetValue<string>().ShouldBe("urgent");

        // The same report again changes nothing; another person under the same case id is a conflict.
        var again = await ingest.PostAsJsonAsync($"/api/v1/cells/{HospitalCell}/cases", new
        {
            caseId = "pc-case-1", kind = "confirmed", local = true, occurredAt = app.Clock.GetUtcNow().AddHours(-1).ToString("O"), idNumber = Id(1),
        });
        again.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await again.Body())["duplicate"]!.GetValue<bool>().ShouldBeTrue();
        var other = await ingest.PostAsJsonAsync($"/api/v1/cells/{HospitalCell}/cases", new
        {
            caseId = "pc-case-1", kind = "confirmed", local = true, occurredAt = app.Clock.GetUtcNow().AddHours(-1).ToString("O"), idNumber = Id(2),
        });
        other.StatusCode.ShouldBe(HttpStatusCode.Conflict);

        var ruledOut = await ingest.PostAsJsonAsync($"/api/v1/cells/{HospitalCell}/cases/pc-case-1/status", new
        {
            status = "ruled-out", occurredAt = app.Clock.GetUtcNow().ToString("O"),
        });
        ruledOut.StatusCode.ShouldBe(HttpStatusCode.OK, await ruledOut.Content.ReadAsStringAsync());
        (await Colour(official, personRef)).ShouldBe("green", "ruled out: the code is what the other facts say (a low-risk arrival)");

        // Both changes are events of the person's stream, in order, with the reasons; an auditor reads them back.
        using var auditor = app.As(Roles.Auditor);
        var events = (await auditor.GetFromJsonAsync<JsonObject>($"/api/v1/audit/events?stream=person:{personRef}"))!["events"]!.AsArray();
        var kinds = events.Select(e => e!["kind"]!.GetValue<string>()).ToList();
        kinds.ShouldContain("person_case_recorded");
        var codes = events.Where(e => e!["kind"]!.GetValue<string>() == "health_code_changed").Select(e => e!["data"]!["colour"]!.GetValue<string>()).ToList();
        codes.ShouldBe(["green", "red", "green"]);
        // As of any moment, the code as it stood and the facts that decided it (the same PersonState and rules, replayed).
        async Task<JsonObject> AsOf(DateTimeOffset at) => (await auditor.GetFromJsonAsync<JsonObject>(
            $"/api/v1/audit/persons/{personRef}/code?asOf={Uri.EscapeDataString(at.ToString("O"))}"))!;
        var whileOpen = await AsOf(app.Clock.GetUtcNow().AddMinutes(-30));
        whileOpen["colour"]!.GetValue<string>().ShouldBe("red");
        whileOpen["reason"]!.GetValue<string>().ShouldContain("Confirmed case pc-case-1");
        whileOpen["facts"]!.AsArray().Select(f => f!["kind"]!.GetValue<string>()).ShouldContain("case");
        whileOpen["maskedId"]!.GetValue<string>().ShouldContain("*");
        var before = await AsOf(app.Clock.GetUtcNow().AddHours(-2));
        before["colour"]!.GetValue<string>().ShouldBe("green");
        before["facts"]!.AsArray().Select(f => f!["kind"]!.GetValue<string>()).ShouldNotContain("case");
        (await AsOf(app.Clock.GetUtcNow()))["colour"]!.GetValue<string>().ShouldBe("green", "ruled out");
        (await official.GetAsync($"/api/v1/audit/persons/{personRef}/code")).StatusCode.ShouldBe(HttpStatusCode.OK, "the person's county's official");
        using var elsewhere = app.As(Roles.CountyOfficial, "330110");
        (await elsewhere.GetAsync($"/api/v1/audit/persons/{personRef}/code")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        await Task.Delay(500);
        otherWorker.Alerts.ShouldNotContain(r => r.Kind == "person-case");
    }

    [Fact]
    public async Task A_case_can_name_a_person_on_record_by_reference_and_recovery_starts_a_post_discharge_observation()
    {
        await app.RegisterCell(HomeCell);
        using var ingest = app.As(Roles.Ingest);
        using var official = app.As(Roles.CountyOfficial, "330106");
        // A person new to the platform, named by identity number on a case report only: they become a person on record.
        var first = await (await ingest.PostAsJsonAsync($"/api/v1/cells/{HomeCell}/cases", new
        {
            caseId = "pc-case-2", kind = "suspected", local = false, occurredAt = app.Clock.GetUtcNow().AddHours(-3).ToString("O"), idNumber = Id(3),
        })).Body();
        var personRef = first["personRef"]!.GetValue<string>();
        (await Colour(official, personRef)).ShouldBe("red");

        // A second case of the same person, by reference; an unknown reference is refused naming the field.
        var byRef = await ingest.PostAsJsonAsync($"/api/v1/cells/{HomeCell}/cases", new
        {
            caseId = "pc-case-3", kind = "confirmed", local = false, occurredAt = app.Clock.GetUtcNow().AddHours(-2).ToString("O"), personRef,
        });
        byRef.StatusCode.ShouldBe(HttpStatusCode.Created, await byRef.Content.ReadAsStringAsync());
        var unknown = await ingest.PostAsJsonAsync($"/api/v1/cells/{HomeCell}/cases", new
        {
            caseId = "pc-case-4", kind = "confirmed", local = false, occurredAt = app.Clock.GetUtcNow().AddHours(-2).ToString("O"),
            personRef = "p" + new string('0', 24),
        });
        unknown.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await unknown.Body())["errors"]!["personRef"].ShouldNotBeNull();
        var both = await ingest.PostAsJsonAsync($"/api/v1/cells/{HomeCell}/cases", new
        {
            caseId = "pc-case-5", kind = "confirmed", local = false, occurredAt = app.Clock.GetUtcNow().ToString("O"), personRef, idNumber = Id(3),
        });
        both.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await both.Body())["errors"]!["personRef"].ShouldNotBeNull();

        async Task Status(string caseId, string status) => (await ingest.PostAsJsonAsync($"/api/v1/cells/{HomeCell}/cases/{caseId}/status",
            new { status, occurredAt = app.Clock.GetUtcNow().ToString("O") })).StatusCode.ShouldBe(HttpStatusCode.OK);
        await Status("pc-case-2", "ruled-out");
        (await Colour(official, personRef)).ShouldBe("red", "the confirmed case is still open");
        await Status("pc-case-3", "recovered");
        var code = (await official.GetFromJsonAsync<JsonObject>($"/api/v1/codes/{personRef}"))!;
        code["colour"]!.GetValue<string>().ShouldBe("red");
        code["reason"]!.GetValue<string>().ShouldContain("Post-discharge observation after case pc-case-3");
        code["requiredDays"]!.GetValue<int>().ShouldBe(14);
    }

    [Fact]
    public async Task The_batch_API_takes_the_same_person_fields_and_answers_the_personRef()
    {
        await app.RegisterCell(OtherCell);
        using var ingest = app.As(Roles.Ingest);
        var answer = await (await ingest.PostAsJsonAsync("/api/v1/reports:batch", new
        {
            items = new object[]
            {
                new { type = "case", cellId = OtherCell, caseId = "pc-batch-1", kind = "asymptomatic", local = true,
                    occurredAt = app.Clock.GetUtcNow().AddHours(-1).ToString("O"), idNumber = Id(4) },
                new { type = "case", cellId = OtherCell, caseId = "pc-batch-2", kind = "confirmed", local = true,
                    occurredAt = app.Clock.GetUtcNow().AddHours(-1).ToString("O"), idNumber = Id(5)[..17] + (Id(5)[17] == '0' ? '1' : '0') },
                new { type = "case", cellId = OtherCell, caseId = "pc-batch-3", kind = "confirmed", local = true,
                    occurredAt = app.Clock.GetUtcNow().AddHours(-1).ToString("O"), personRef = "p" + new string('1', 24) },
            },
        })).Body();
        var results = answer["results"]!.AsArray();
        results[0]!["status"]!.GetValue<int>().ShouldBe(201);
        var personRef = results[0]!["personRef"]!.GetValue<string>();
        results[1]!["status"]!.GetValue<int>().ShouldBe(400);
        results[1]!["problem"]!["errors"]!["items[1].idNumber"].ShouldNotBeNull();
        results[2]!["status"]!.GetValue<int>().ShouldBe(404);
        results[2]!["problem"]!["errors"]!["items[2].personRef"].ShouldNotBeNull();
        using var official = app.As(Roles.CountyOfficial, "330106");
        var code = (await official.GetFromJsonAsync<JsonObject>($"/api/v1/codes/{personRef}"))!;
        code["colour"]!.GetValue<string>().ShouldBe("red");
        code["reason"]!.GetValue<string>().ShouldContain("Asymptomatic infection pc-batch-1");
    }
}
