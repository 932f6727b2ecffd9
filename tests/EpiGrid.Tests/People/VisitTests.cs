using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using EpiGrid.Tests.Alerts;
using EpiGrid.Tests.Infrastructure;
using EpiGrid.WebHost.Auth;

namespace EpiGrid.Tests.People;

public sealed class VisitApp : PushApp;

/// <summary>
/// Visits as facts (issue 19): a grid worker records what they found at the door. The visit is an event of the person (or
/// of the cell), recorded once per client-chosen visit id, resolves the task alert it answers through the one
/// acknowledgement path, escalates to the county's officials when refused or not at home twice in a row, and a reading
/// taken at it moves the code as a check-in does.
/// </summary>
public sealed class VisitTests(VisitApp app) : IClassFixture<VisitApp>
{
    const string County = "330109", Cell = "330109-019-001", OtherCell = "330109-019-002";
    static string Id(int n) => ResidentIdTests.Make(330109, new DateOnly(1981, 7, 8), n);

    string Now(double hours = 0) => app.Clock.GetUtcNow().AddHours(hours).ToString("O");

    async Task<string> Arrive(int n, string risk)
    {
        await app.RegisterCell(Cell);
        using var ingest = app.As(Roles.Ingest);
        var arrived = await ingest.PostAsJsonAsync($"/api/v1/cells/{Cell}/travellers", new
        {
            idNumber = Id(n), origin = new { area = risk == "high" ? "武汉 Wuhan" : "上海 Shanghai", risk }, arrivedAt = Now(-2), mode = "rail",
            source = "rail", sourceRecordId = $"visit-{n}",
        });
        arrived.StatusCode.ShouldBe(HttpStatusCode.Created, await arrived.Content.ReadAsStringAsync());
        return (await arrived.Body())["personRef"]!.GetValue<string>();
    }

    static async Task<string> Colour(HttpClient client, string personRef) =>
        (await client.GetFromJsonAsync<JsonObject>($"/api/v1/codes/{personRef}"))!["colour"]!.GetValue<string>();

    Task<long> Events(string stream, string kind = "visit_recorded") =>
        app.Database.Scalar<long>("select count(*) from epigrid.mt_events where stream_id = @s and type = @k", ("s", stream), ("k", kind));

    Task<long> AllEvents(string stream) => app.Database.Scalar<long>("select count(*) from epigrid.mt_events where stream_id = @s", ("s", stream));

    static async Task<JsonObject?> AlertOf(HttpClient client, Func<JsonNode, bool> match) =>
        (await client.GetFromJsonAsync<JsonArray>($"/api/v1/alerts?county={County}"))!.FirstOrDefault(a => match(a!))?.AsObject();

    static async Task<JsonObject> WaitForAlert(HttpClient client, Func<JsonNode, bool> match, string because)
    {
        JsonObject? found = null;
        await Eventually.True(async () => (found = await AlertOf(client, match)) is not null, TimeSpan.FromSeconds(10), because);
        return found!;
    }

    static Func<JsonNode, bool> Kind(string kind, string? visitId = null) => a => a["kind"]!.GetValue<string>() == kind
        && (visitId is null || a["subject"]!["visitId"]?.GetValue<string>() == visitId);

    [Fact]
    public async Task A_visit_answers_its_task_alert_and_a_resend_concurrent_or_after_a_restart_changes_nothing()
    {
        var personRef = await Arrive(1, "high");
        using var worker = app.As(Roles.GridWorker, cells: Cell);
        using var official = app.As(Roles.CountyOfficial, County);
        var task = await WaitForAlert(worker, a => a["kind"]!.GetValue<string>() == "traveller-visit"
            && a["subject"]!["travellerId"]!.GetValue<string>().StartsWith(personRef, StringComparison.Ordinal), "an arrival from a high-risk area is a visit task");
        var alertId = task["id"]!.GetValue<string>();
        task["status"]!.GetValue<string>().ShouldBe("open");

        object Visit(string visitId) => new
        {
            visitId, personRef, alertId, visitedAt = Now(-0.5), outcome = "found", quarantineKept = true, temperature = 36.5,
            note = "在家隔离 at home, isolating",
        };
        var first = await worker.PostAsJsonAsync($"/api/v1/cells/{Cell}/visits", Visit("v-1"));
        first.StatusCode.ShouldBe(HttpStatusCode.Created, await first.Content.ReadAsStringAsync());
        var body = await first.Body();
        body["duplicate"]!.GetValue<bool>().ShouldBeFalse();
        body["alert"]!["status"]!.GetValue<string>().ShouldBe("acknowledged", "the visit resolves the task it answers");
        body["code"]!["colour"]!.GetValue<string>().ShouldBe("red", "a normal reading does not end a quarantine on its first day");

        var read = await worker.GetFromJsonAsync<JsonObject>($"/api/v1/alerts/{Uri.EscapeDataString(alertId)}");
        read!["alert"]!["status"]!.GetValue<string>().ShouldBe("acknowledged");
        var history = read["history"]!.AsArray();
        var acknowledged = history.Single(h => h!["event"]!.GetValue<string>() == "acknowledged")!;
        acknowledged["detail"]!.GetValue<string>().ShouldContain("Visit v-1: found", customMessage: "the alert's history shows the visit's outcome");
        acknowledged["detail"]!.GetValue<string>().ShouldContain("at home, isolating");
        (await Events($"person:{personRef}")).ShouldBe(1);
        var personEvents = await AllEvents($"person:{personRef}");

        // The same visit again: 200, duplicate, nothing recorded, the alert's history unchanged.
        var again = await worker.PostAsJsonAsync($"/api/v1/cells/{Cell}/visits", Visit("v-1"));
        again.StatusCode.ShouldBe(HttpStatusCode.OK, await again.Content.ReadAsStringAsync());
        (await again.Body())["duplicate"]!.GetValue<bool>().ShouldBeTrue();
        (await AllEvents($"person:{personRef}")).ShouldBe(personEvents);
        (await worker.GetFromJsonAsync<JsonObject>($"/api/v1/alerts/{Uri.EscapeDataString(alertId)}"))!["history"]!.AsArray().Count.ShouldBe(history.Count);

        // Five resends of a new visit at once: one is recorded, four are duplicates.
        var racing = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => worker.PostAsJsonAsync($"/api/v1/cells/{Cell}/visits", Visit("v-2"))));
        racing.Count(r => r.StatusCode == HttpStatusCode.Created).ShouldBe(1, string.Join(", ", racing.Select(r => r.StatusCode)));
        racing.Count(r => r.StatusCode == HttpStatusCode.OK).ShouldBe(4);
        (await Events($"person:{personRef}")).ShouldBe(2);

        // After a restart the silo knows the visit from the store alone.
        await app.RestartSilo();
        var afterRestart = await worker.PostAsJsonAsync($"/api/v1/cells/{Cell}/visits", Visit("v-1"));
        afterRestart.StatusCode.ShouldBe(HttpStatusCode.OK, await afterRestart.Content.ReadAsStringAsync());
        (await afterRestart.Body())["duplicate"]!.GetValue<bool>().ShouldBeTrue();
        (await Events($"person:{personRef}")).ShouldBe(2);

        // In the person's history: the events of their stream (province-wide readers), and the facts their code was judged on.
        using var auditor = app.As(Roles.Auditor);
        var events = (await auditor.GetFromJsonAsync<JsonObject>($"/api/v1/audit/events?stream=person:{personRef}&kind=visit_recorded"))!["events"]!.AsArray();
        events.Select(e => e!["data"]!["visitId"]!.GetValue<string>()).ShouldBe(["v-1", "v-2"]);
        events[0]!["actor"]!.GetValue<string>().ShouldNotBeNullOrEmpty();
        events[0]!["data"]!["alertId"]!.GetValue<string>().ShouldBe(alertId);
        var facts = (await official.GetFromJsonAsync<JsonObject>($"/api/v1/audit/persons/{personRef}/code"))!["facts"]!.AsArray();
        facts.Count(f => f!["kind"]!.GetValue<string>() == "visit").ShouldBe(2);
        facts.ShouldContain(f => f!["kind"]!.GetValue<string>() == "check-in" && f["detail"]!.GetValue<string>() == "36.5 °C", "a reading at a visit is a check-in");
    }

    [Fact]
    public async Task Two_not_home_visits_in_a_row_or_a_refusal_escalate_to_the_county_officials_and_moved_away_asks_them_to_locate()
    {
        var personRef = await Arrive(2, "low");
        using var worker = app.As(Roles.GridWorker, cells: Cell);
        using var official = app.As(Roles.CountyOfficial, County);
        using var auditor = app.As(Roles.Auditor);
        async Task<JsonObject> Visit(string visitId, string outcome, double hours)
        {
            var response = await worker.PostAsJsonAsync($"/api/v1/cells/{Cell}/visits", new { visitId, personRef, visitedAt = Now(hours), outcome });
            response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
            return await response.Body();
        }
        async Task<int> InARow(string visitId) =>
            (await auditor.GetFromJsonAsync<JsonObject>($"/api/v1/audit/events?stream=person:{personRef}&kind=visit_recorded"))!["events"]!.AsArray()
            .Single(e => e!["data"]!["visitId"]!.GetValue<string>() == visitId)!["data"]!["notHomeInARow"]!.GetValue<int>();

        await Visit("n-1", "not-home", -0.9);
        (await InARow("n-1")).ShouldBe(1);
        await Visit("n-2", "not-home", -0.8);
        (await InARow("n-2")).ShouldBe(2);
        var escalation = await WaitForAlert(official, Kind("visit-escalation", "n-2"), "the second not-home visit in a row escalates");
        escalation["subject"]!["personRef"]!.GetValue<string>().ShouldBe(personRef);
        escalation["subject"]!["notHomeInARow"]!.GetValue<string>().ShouldBe("2");
        escalation["ruleVersion"]!.GetValue<string>().ShouldBe(EpiGrid.Alerts.AlertRules.Version);
        (await AlertOf(worker, Kind("visit-escalation"))).ShouldBeNull("the escalation is for the county's officials");

        // Found in between: the next not-home visit starts a new run.
        await Visit("n-3", "found", -0.7);
        await Visit("n-4", "not-home", -0.6);
        (await InARow("n-4")).ShouldBe(1);
        await Visit("n-5", "refused", -0.5);
        await WaitForAlert(official, Kind("visit-escalation", "n-5"), "a refusal escalates at once");
        await Visit("n-6", "moved-away", -0.4);
        var locate = await WaitForAlert(official, Kind("visit-moved-away", "n-6"), "moved away: the officials locate the person");
        locate["subject"]!["personRef"]!.GetValue<string>().ShouldBe(personRef);
        (await AlertOf(official, Kind("visit-escalation", "n-4"))).ShouldBeNull("one not-home visit after a found one escalates nothing");
        (await AlertOf(official, Kind("visit-escalation", "n-1"))).ShouldBeNull("the first not-home visit escalates nothing");
    }

    [Fact]
    public async Task A_visit_with_38_1_turns_the_code_red_as_a_check_in_would_and_replays_so()
    {
        var personRef = await Arrive(3, "low");
        using var worker = app.As(Roles.GridWorker, cells: Cell);
        using var official = app.As(Roles.CountyOfficial, County);
        (await Colour(official, personRef)).ShouldBe("green");
        var before = app.Clock.GetUtcNow();
        app.Clock.Advance(TimeSpan.FromMinutes(10));

        var response = await worker.PostAsJsonAsync($"/api/v1/cells/{Cell}/visits", new
        {
            visitId = "fever-1", personRef, visitedAt = Now(-0.05), outcome = "found", temperature = 38.1, symptoms = new[] { "cough" },
        });
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var code = (await response.Body())["code"]!;
        code["colour"]!.GetValue<string>().ShouldBe("red");
        code["reason"]!.GetValue<string>().ShouldContain("38.1 °C");
        (await Colour(official, personRef)).ShouldBe("red");
        var alert = await WaitForAlert(worker, Kind("check-in-symptoms", "fever-1"), "an abnormal reading alerts the cell as a check-in's does");
        alert["severity"]!.GetValue<string>().ShouldBe("urgent");

        // Replayed: green before the visit, red after it, the visit among the facts.
        var then = await official.GetFromJsonAsync<JsonObject>($"/api/v1/audit/persons/{personRef}/code?asOf={Uri.EscapeDataString(before.ToString("O"))}");
        then!["colour"]!.GetValue<string>().ShouldBe("green");
        var now = await official.GetFromJsonAsync<JsonObject>($"/api/v1/audit/persons/{personRef}/code");
        now!["colour"]!.GetValue<string>().ShouldBe("red");
        now["facts"]!.AsArray().ShouldContain(f => f!["kind"]!.GetValue<string>() == "check-in-abnormal" && f["detail"]!.GetValue<string>() == "38.1 °C, cough");
    }

    [Fact]
    public async Task A_visit_naming_no_person_is_the_cells_and_answers_the_cells_task()
    {
        await app.RegisterCell(Cell);
        using var ingest = app.As(Roles.Ingest);
        // A worker of two cells: the traveller's task is the cell's workers' to answer (officials do not receive it).
        using var worker = app.As(Roles.GridWorker, null, Cell, OtherCell);
        using var official = app.As(Roles.CountyOfficial, County);
        (await ingest.PostAsJsonAsync($"/api/v1/cells/{Cell}/travellers", new
        {
            travellerId = "cell-visit-t1", originArea = "武汉 Wuhan", originRisk = "high", arrivedAt = Now(-3), mode = "rail", quarantine = "home",
        })).StatusCode.ShouldBe(HttpStatusCode.Created);
        var task = await WaitForAlert(worker, a => a["kind"]!.GetValue<string>() == "traveller-visit"
            && a["subject"]!["travellerId"]!.GetValue<string>() == "cell-visit-t1", "a visit task for the traveller");
        var alertId = task["id"]!.GetValue<string>();

        var response = await worker.PostAsJsonAsync($"/api/v1/cells/{Cell}/visits", new { visitId = "c-1", alertId, visitedAt = Now(-0.5), outcome = "refused" });
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var body = await response.Body();
        body["alert"]!["status"]!.GetValue<string>().ShouldBe("acknowledged");
        body["code"].ShouldBeNull();
        (await Events($"cell:{Cell}")).ShouldBe(1);
        var events = (await official.GetFromJsonAsync<JsonObject>($"/api/v1/audit/events?stream=cell:{Cell}&kind=visit_recorded"))!["events"]!.AsArray();
        events.Single()!["data"]!["outcome"]!.GetValue<string>().ShouldBe("refused");
        await WaitForAlert(official, Kind("visit-escalation", "c-1"), "a refusal at a cell's visit escalates too");

        // An alert is answered in its own cell only.
        await app.RegisterCell(OtherCell);
        var wrongCell = await worker.PostAsJsonAsync($"/api/v1/cells/{OtherCell}/visits", new { visitId = "c-2", alertId, visitedAt = Now(-0.5), outcome = "found" });
        wrongCell.StatusCode.ShouldBe(HttpStatusCode.BadRequest, await wrongCell.Content.ReadAsStringAsync());
        (await wrongCell.Body())["errors"]!["alertId"].ShouldNotBeNull();
        (await Events($"cell:{OtherCell}")).ShouldBe(0);

        var again = await worker.PostAsJsonAsync($"/api/v1/cells/{Cell}/visits", new { visitId = "c-1", alertId, visitedAt = Now(-0.5), outcome = "refused" });
        again.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await Events($"cell:{Cell}")).ShouldBe(1);
    }

    [Fact]
    public async Task Only_the_cells_workers_and_the_countys_officials_record_visits()
    {
        var personRef = await Arrive(4, "low");
        await app.RegisterCell(OtherCell);
        var stream = $"person:{personRef}";
        var before = await AllEvents(stream);
        object Body(string visitId) => new { visitId, personRef, visitedAt = Now(-1), outcome = "not-home" };
        foreach (var (client, who) in new[]
                 {
                     (app.As(Roles.GridWorker, cells: OtherCell), "a worker of another cell"),
                     (app.As(Roles.CountyOfficial, "330110"), "an official of another county"),
                     (app.As(Roles.ProvinceOfficial), "a province official"),
                     (app.As(Roles.Ingest), "a source system"),
                     (app.As(Roles.Admin), "an admin"),
                     (app.As(Roles.Auditor), "an auditor"),
                 })
        {
            using (client)
            {
                var refused = await client.PostAsJsonAsync($"/api/v1/cells/{Cell}/visits", Body("x-1"));
                refused.StatusCode.ShouldBe(HttpStatusCode.Forbidden, who);
                refused.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
            }
        }
        (await AllEvents(stream)).ShouldBe(before, "a refused visit records nothing");

        // The worker of the other cell, in their own cell, cannot record a visit to a person who is not on record there.
        using var otherWorker = app.As(Roles.GridWorker, cells: OtherCell);
        var elsewhere = await otherWorker.PostAsJsonAsync($"/api/v1/cells/{OtherCell}/visits", Body("x-2"));
        elsewhere.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await elsewhere.Body())["errors"]!["personRef"].ShouldNotBeNull();
        using var worker = app.As(Roles.GridWorker, cells: Cell);
        (await worker.PostAsJsonAsync($"/api/v1/cells/{Cell}/visits", Body("x-3"))).StatusCode.ShouldBe(HttpStatusCode.Created);
        using var official = app.As(Roles.CountyOfficial, County);
        (await official.PostAsJsonAsync($"/api/v1/cells/{Cell}/visits", Body("x-4"))).StatusCode.ShouldBe(HttpStatusCode.Created);
        (await AllEvents(stream)).ShouldBeGreaterThan(before);
    }

    /// <summary>Bodies at fault, the field named, and the status: 400, or 404 for a person or alert the body names that is not there.</summary>
    public static TheoryData<string, string, int> BadBodies => new()
    {
        { """{"visitedAt":"@now","outcome":"found"}""", "visitId", 400 },
        { """{"visitId":"has space","visitedAt":"@now","outcome":"found"}""", "visitId", 400 },
        { """{"visitId":"b-1","visitedAt":"2030-01-01T00:00:00+08:00","outcome":"found"}""", "visitedAt", 400 },
        { """{"visitId":"b-1","visitedAt":"2020-01-01T00:00:00+08:00","outcome":"found"}""", "visitedAt", 400 },
        { """{"visitId":"b-1","visitedAt":"2020-02-20 09:00","outcome":"found"}""", "visitedAt", 400 },
        { """{"visitId":"b-1","outcome":"found"}""", "visitedAt", 400 },
        { """{"visitId":"b-1","visitedAt":"@now","outcome":"maybe"}""", "outcome", 400 },
        { """{"visitId":"b-1","visitedAt":"@now"}""", "outcome", 400 },
        { """{"visitId":"b-1","visitedAt":"@now","outcome":"found","temperature":45.2}""", "temperature", 400 },
        { """{"visitId":"b-1","visitedAt":"@now","outcome":"found","temperature":30}""", "temperature", 400 },
        { """{"visitId":"b-1","visitedAt":"@now","outcome":"not-home","temperature":36.6}""", "temperature", 400 },
        { """{"visitId":"b-1","visitedAt":"@now","outcome":"found","symptoms":["a","b","c","d","e","f","g","h","i","j","k"]}""", "symptoms", 400 },
        { """{"visitId":"b-1","visitedAt":"@now","outcome":"found","symptoms":["@long"]}""", "symptoms", 400 },
        { """{"visitId":"b-1","visitedAt":"@now","outcome":"found","symptoms":[" "]}""", "symptoms", 400 },
        { """{"visitId":"b-1","visitedAt":"@now","outcome":"found","note":"@note"}""", "note", 400 },
        { """{"visitId":"b-1","visitedAt":"@now","outcome":"found","personRef":"not-a-person"}""", "personRef", 400 },
        { """{"visitId":"b-1","visitedAt":"@now","outcome":"found","personRef":"p000000000000000000000000"}""", "personRef", 404 },
        { """{"visitId":"b-1","visitedAt":"@now","outcome":"found","alertId":"visit:330109-019-002:nobody"}""", "alertId", 404 },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task A_bad_body_answers_a_problem_naming_the_field_and_records_nothing(string json, string field, int status)
    {
        await app.RegisterCell(Cell);
        using var worker = app.As(Roles.GridWorker, cells: Cell);
        var before = await app.Database.Scalar<long>("select count(*) from epigrid.mt_events where type = 'visit_recorded'");
        json = json.Replace("@now", Now(-1)).Replace("@long", new string('x', 51)).Replace("@note", new string('n', 401));
        var response = await worker.PostAsync($"/api/v1/cells/{Cell}/visits", new StringContent(json, System.Text.Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        ((int)response.StatusCode).ShouldBe(status, text);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        JsonNode.Parse(text)!["errors"]![field].ShouldNotBeNull(text);
        (await app.Database.Scalar<long>("select count(*) from epigrid.mt_events where type = 'visit_recorded'")).ShouldBe(before);
    }
}
