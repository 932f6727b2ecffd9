using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using EpiGrid.Tests.Alerts;
using EpiGrid.Tests.Infrastructure;
using EpiGrid.WebHost.Auth;

namespace EpiGrid.Tests.People;

public sealed class ScreeningApp : PushApp;

/// <summary>
/// The code from where a person has been (issue 16): itineraries screened against the platform's own colour history, live,
/// as the county turns; and contacts of close contacts.
/// </summary>
public sealed class SpatialScreeningTests(ScreeningApp app) : IClassFixture<ScreeningApp>
{
    const string HomeCell = "330106-402-001", FarCell = "330106-402-002", Dongyang = "330783";
    static string Id(int n) => ResidentIdTests.Make(330106, new DateOnly(1979, 5, 6), n);

    async Task<string> Resident(HttpClient ingest, string cell, int n)
    {
        var response = await ingest.PostAsJsonAsync($"/api/v1/cells/{cell}/travellers", new
        {
            idNumber = Id(n), name = "李四", phone = "13812345678", origin = new { area = "宁波 Ningbo", risk = "low" },
            arrivedAt = app.Clock.GetUtcNow().AddDays(-30).ToString("O"), mode = "car", source = "police", sourceRecordId = $"ss-arrival-{n}",
        });
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var body = await response.Body();
        body["code"]!["colour"]!.GetValue<string>().ShouldBe("green");
        return body["personRef"]!.GetValue<string>();
    }

    Task<HttpResponseMessage> Itinerary(HttpClient client, string personRef, string record, int fromDaysAgo, int toDaysAgo, string county = Dongyang) =>
        client.PostAsJsonAsync($"/api/v1/persons/{personRef}/itinerary", new
        {
            items = new[] { new { county, from = app.Clock.GetUtcNow().AddDays(-fromDaysAgo).ToString("O"), to = app.Clock.GetUtcNow().AddDays(-toDaysAgo).ToString("O") } },
            source = "transport", sourceRecordId = record,
        });

    /// <summary>
    /// Turns a county red under the default rule set: thirty local confirmed cases in three clusters this week, in three cells
    /// of the given street (<paramref name="street"/>), then waits for the county to say so.
    /// </summary>
    internal static async Task TurnRed(EpiGridApp app, HttpClient ingest, string county, string street, TimeSpan within)
    {
        var cells = Enumerable.Range(1, 3).Select(i => $"{county}-{street}-{i:D3}").ToList();
        foreach (var cell in cells) await app.RegisterCell(cell);
        for (var i = 0; i < 30; i++)
            (await app.ReportCase(ingest, cells[i % 3], $"{county}-case-{i}", clusterId: $"{county}-cluster-{i % 3}",
                occurredAt: app.Clock.GetUtcNow().AddDays(-(i % 5)))).StatusCode.ShouldBe(HttpStatusCode.Created);
        await Eventually.True(async () => (await app.County(county)).ColourUnder("zhejiang-5") == "red", within, $"{county} red");
    }

    async Task<string> Colour(HttpClient client, string personRef) =>
        (await client.GetFromJsonAsync<JsonObject>($"/api/v1/codes/{personRef}"))!["colour"]!.GetValue<string>();

    [Fact]
    public async Task A_stay_three_days_ago_in_a_county_that_turns_red_today_turns_the_code_red_naming_it_and_alerts_the_cell_a_stay_20_days_ago_changes_nothing()
    {
        foreach (var cell in new[] { HomeCell, FarCell }) await app.RegisterCell(cell);
        using var ingest = app.As(Roles.Ingest);
        var near = await Resident(ingest, HomeCell, 1);
        var far = await Resident(ingest, FarCell, 2);
        var nearStay = await Itinerary(ingest, near, "ss-trip-1", fromDaysAgo: 4, toDaysAgo: 3);
        nearStay.StatusCode.ShouldBe(HttpStatusCode.Created, await nearStay.Content.ReadAsStringAsync());
        (await nearStay.Body())["code"]!["colour"]!.GetValue<string>().ShouldBe("green", "Dongyang is green so far");
        (await Itinerary(ingest, far, "ss-trip-2", fromDaysAgo: 21, toDaysAgo: 20)).StatusCode.ShouldBe(HttpStatusCode.Created);

        await using var homeWorker = await DotNetAlertClient.Connect(app.BaseAddress, app.Token(Roles.GridWorker, cells: HomeCell));
        await using var farWorker = await DotNetAlertClient.Connect(app.BaseAddress, app.Token(Roles.GridWorker, cells: FarCell));
        using var worker = app.As(Roles.GridWorker, null, HomeCell, FarCell);
        var beforeTheTurn = app.Clock.GetUtcNow();
        app.Clock.Advance(TimeSpan.FromMinutes(1));

        await TurnRed(app, ingest, Dongyang, "402", TimeSpan.FromSeconds(15));

        await Eventually.True(async () => await Colour(worker, near) == "red", TimeSpan.FromSeconds(5), "the visitor's code turns red at once");
        var code = (await worker.GetFromJsonAsync<JsonObject>($"/api/v1/codes/{near}"))!;
        code["reason"]!.GetValue<string>().ShouldContain("东阳市 Dongyang");
        await Eventually.True(() => Task.FromResult(homeWorker.Alerts.Any(a => a.Kind == "place-risk")), TimeSpan.FromSeconds(5), "the cell's worker is alerted");
        // Dongyang may pass through yellow and orange on its way to red: one task per level of risk of the stay, at most two.
        var alerts = homeWorker.Alerts.Where(a => a.Kind == "place-risk").Select(a => a.Alert).ToList();
        alerts.Count.ShouldBeLessThanOrEqualTo(2);
        alerts.ShouldAllBe(a => a["subject"]!["personRef"]!.GetValue<string>() == near && a["message"]!.GetValue<string>().Contains("Dongyang"));
        (await Colour(worker, far)).ShouldBe("green", "a stay 20 days ago changes nothing");
        await Task.Delay(500);
        farWorker.Alerts.ShouldNotContain(a => a.Kind == "place-risk");

        // A stay declared now in a county already red is screened at once; the same itinerary again changes nothing.
        var late = await Resident(ingest, FarCell, 3);
        var lateStay = await Itinerary(ingest, late, "ss-trip-3", fromDaysAgo: 2, toDaysAgo: 1);
        lateStay.StatusCode.ShouldBe(HttpStatusCode.Created);
        (await lateStay.Body())["code"]!["colour"]!.GetValue<string>().ShouldBe("red");
        const string Noted = "select count(*) from epigrid.mt_events where type in ('place_risk_noted', 'stay_recorded')";
        var noted = await app.Database.Scalar<long>(Noted);
        var again = await Itinerary(ingest, near, "ss-trip-1", fromDaysAgo: 4, toDaysAgo: 3);
        again.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await again.Body())["duplicate"]!.GetValue<bool>().ShouldBeTrue();
        (await app.Database.Scalar<long>(Noted)).ShouldBe(noted);
        (await app.Database.Scalar<long>($"select count(*) from epigrid.mt_events where type = 'place_risk_noted' and stream_id = 'person:{far}'")).ShouldBe(0);

        // Auditors see why: before the turn the code was green with the stay on record; after it, red on the place.
        using var auditor = app.As(Roles.Auditor);
        async Task<JsonObject> AsOf(DateTimeOffset at) => (await auditor.GetFromJsonAsync<JsonObject>(
            $"/api/v1/audit/persons/{near}/code?asOf={Uri.EscapeDataString(at.ToString("O"))}"))!;
        var before = await AsOf(beforeTheTurn);
        before["colour"]!.GetValue<string>().ShouldBe("green");
        before["facts"]!.AsArray().Select(f => f!["kind"]!.GetValue<string>()).ShouldContain("stay");
        var now = await AsOf(app.Clock.GetUtcNow());
        now["colour"]!.GetValue<string>().ShouldBe("red");
        now["facts"]!.AsArray().Select(f => f!["kind"]!.GetValue<string>()).ShouldContain("place-high-risk");
    }

    [Fact]
    public async Task An_itinerary_names_a_county_of_the_province_or_an_area_and_a_bad_one_is_refused_naming_the_field()
    {
        await app.RegisterCell(HomeCell);
        using var ingest = app.As(Roles.Ingest);
        var person = await Resident(ingest, HomeCell, 10);
        var unknown = await Itinerary(ingest, person, "ss-bad-1", 3, 2, county: "420106");
        unknown.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await unknown.Body())["errors"]!["items[0].county"].ShouldNotBeNull();
        var backwards = await Itinerary(ingest, person, "ss-bad-2", 1, 3);
        (await backwards.Body())["errors"]!["items[0].to"].ShouldNotBeNull();
        var both = await ingest.PostAsJsonAsync($"/api/v1/persons/{person}/itinerary", new
        {
            items = new[] { new { county = Dongyang, area = "武汉", from = app.Clock.GetUtcNow().AddDays(-2).ToString("O"), to = app.Clock.GetUtcNow().ToString("O") } },
            source = "transport", sourceRecordId = "ss-bad-3",
        });
        (await both.Body())["errors"]!["items[0].county"].ShouldNotBeNull();
        (await app.Database.Scalar<long>($"select count(*) from epigrid.mt_events where type = 'stay_recorded' and stream_id = 'person:{person}'")).ShouldBe(0);

        var outside = await ingest.PostAsJsonAsync($"/api/v1/persons/{person}/itinerary", new
        {
            items = new[] { new { area = "武汉 Wuhan", from = app.Clock.GetUtcNow().AddDays(-2).ToString("O"), to = app.Clock.GetUtcNow().AddDays(-1).ToString("O") } },
            source = "transport", sourceRecordId = "ss-ok-1",
        });
        outside.StatusCode.ShouldBe(HttpStatusCode.Created, await outside.Content.ReadAsStringAsync());
        (await outside.Body())["code"]!["colour"]!.GetValue<string>().ShouldBe("green", "an area outside the province has no colour history to screen");
        // Nobody was released: a person green from the start (and green again under a new rule version) asks no release task.
        using var official = app.As(Roles.CountyOfficial, "330106");
        (await official.GetFromJsonAsync<JsonArray>("/api/v1/alerts?county=330106"))!
            .ShouldNotContain(a => a!["kind"]!.GetValue<string>() == "quarantine-release" && a["subject"]!["personRef"]!.GetValue<string>() == person);
        using var elsewhere = app.As(Roles.GridWorker, cells: FarCell);
        (await Itinerary(elsewhere, person, "ss-other-1", 3, 2)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await Itinerary(ingest, "p" + new string('0', 24), "ss-none", 3, 2)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_contact_of_a_close_contact_is_yellow_for_7_days_with_a_task_for_their_cell_and_appears_in_the_chain()
    {
        const string CaseCell = "330106-402-010", ContactCell = "330106-402-011", SecondCell = "330782-402-001";
        foreach (var cell in new[] { CaseCell, ContactCell, SecondCell }) await app.RegisterCell(cell);
        using var ingest = app.As(Roles.Ingest);
        (await app.ReportCase(ingest, CaseCell, "ss-case-1", occurredAt: app.Clock.GetUtcNow().AddHours(-5))).StatusCode.ShouldBe(HttpStatusCode.Created);
        var lastContact = app.Clock.GetUtcNow().AddHours(-2);
        object Item(int n, string cell, string record) => new
        {
            idNumber = Id(n), cellId = cell, lastContactAt = lastContact.ToString("O"), setting = "household", source = "investigator", sourceRecordId = record,
        };
        var first = await ingest.PostAsJsonAsync("/api/v1/cases/ss-case-1/contacts", new { items = new[] { Item(20, ContactCell, "ss-c-1") } });
        first.StatusCode.ShouldBe(HttpStatusCode.Created);
        var contact = (await first.Body())["items"]![0]!["personRef"]!.GetValue<string>();

        await using var secondWorker = await DotNetAlertClient.Connect(app.BaseAddress, app.Token(Roles.GridWorker, cells: SecondCell));
        using var contactsWorker = app.As(Roles.GridWorker, cells: ContactCell);
        var response = await contactsWorker.PostAsJsonAsync($"/api/v1/persons/{contact}/contacts", new { items = new[] { Item(21, SecondCell, "ss-cc-1") } });
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var item = (await response.Body())["items"]![0]!;
        item["code"]!["colour"]!.GetValue<string>().ShouldBe("yellow");
        var local = lastContact.ToOffset(TimeSpan.FromHours(8));
        item["code"]!["validUntil"]!.GetValue<DateTimeOffset>().ShouldBe(new DateTimeOffset(local.Date.AddDays(7), TimeSpan.FromHours(8)));
        var secondary = item["personRef"]!.GetValue<string>();
        await Eventually.True(() => Task.FromResult(secondWorker.Alerts.Any(a => a.Kind == "contact-trace")), TimeSpan.FromSeconds(5), "the task reaches the contact's cell");
        secondWorker.Alerts.Single(a => a.Kind == "contact-trace").Alert["message"]!.GetValue<string>().ShouldContain("次密接");

        var again = await contactsWorker.PostAsJsonAsync($"/api/v1/persons/{contact}/contacts", new { items = new[] { Item(21, SecondCell, "ss-cc-1") } });
        again.StatusCode.ShouldBe(HttpStatusCode.OK);
        var self = await contactsWorker.PostAsJsonAsync($"/api/v1/persons/{contact}/contacts", new { items = new[] { Item(20, ContactCell, "ss-cc-2") } });
        self.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await self.Body())["errors"]!["items[0].idNumber"].ShouldNotBeNull();
        // Only close contacts have contacts registered this way; and only those who may write about the close contact.
        (await contactsWorker.PostAsJsonAsync($"/api/v1/persons/{secondary}/contacts", new { items = new[] { Item(22, SecondCell, "ss-cc-3") } }))
            .StatusCode.ShouldBe(HttpStatusCode.NotFound);
        using var stranger = app.As(Roles.GridWorker, cells: CaseCell);
        (await stranger.PostAsJsonAsync($"/api/v1/persons/{contact}/contacts", new { items = new[] { Item(23, SecondCell, "ss-cc-4") } }))
            .StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        using var caseWorker = app.As(Roles.GridWorker, cells: CaseCell);
        var chain = (await caseWorker.GetFromJsonAsync<JsonObject>("/api/v1/cases/ss-case-1/chain"))!;
        chain["contacts"]!.AsArray().Single(c => c!["personRef"]!.GetValue<string>() == secondary)!["degree"]!.GetValue<int>().ShouldBe(2);
        chain["edges"]!.AsArray().ShouldContain(e => e!["kind"]!.GetValue<string>() == "secondary-contact"
            && e["from"]!.GetValue<string>() == contact && e["to"]!.GetValue<string>() == secondary);
    }
}

public sealed class ScreeningRestartApp : EpiGridApp;

/// <summary>A county's spatial screening forgets no visitor when the silo restarts: it reads them from the persons' records.</summary>
public sealed class SpatialScreeningRestartTests(ScreeningRestartApp app) : IClassFixture<ScreeningRestartApp>
{
    const string HomeCell = "330106-403-001", Yongkang = "330784";

    [Fact]
    public async Task After_a_restart_a_county_turning_red_still_reaches_the_persons_who_stayed_there()
    {
        await app.RegisterCell(HomeCell);
        using var ingest = app.As(Roles.Ingest);
        var arrival = await ingest.PostAsJsonAsync($"/api/v1/cells/{HomeCell}/travellers", new
        {
            idNumber = ResidentIdTests.Make(330106, new DateOnly(1981, 7, 8), 1), name = "王五", phone = "13812345679",
            origin = new { area = "宁波 Ningbo", risk = "low" }, arrivedAt = app.Clock.GetUtcNow().AddDays(-30).ToString("O"), mode = "car",
            source = "police", sourceRecordId = "ssr-arrival-1",
        });
        arrival.StatusCode.ShouldBe(HttpStatusCode.Created, await arrival.Content.ReadAsStringAsync());
        var person = (await arrival.Body())["personRef"]!.GetValue<string>();
        var stay = await ingest.PostAsJsonAsync($"/api/v1/persons/{person}/itinerary", new
        {
            items = new[] { new { county = Yongkang, from = app.Clock.GetUtcNow().AddDays(-3).ToString("O"), to = app.Clock.GetUtcNow().AddDays(-2).ToString("O") } },
            source = "transport", sourceRecordId = "ssr-trip-1",
        });
        stay.StatusCode.ShouldBe(HttpStatusCode.Created, await stay.Content.ReadAsStringAsync());

        // Every grain starts again from the store: the county's screening holds no visitor in memory any more.
        await app.RestartSilo();
        await SpatialScreeningTests.TurnRed(app, ingest, Yongkang, "403", TimeSpan.FromSeconds(20));

        using var worker = app.As(Roles.GridWorker, null, HomeCell);
        await Eventually.True(async () => (await worker.GetFromJsonAsync<JsonObject>($"/api/v1/codes/{person}"))!["colour"]!.GetValue<string>() == "red",
            TimeSpan.FromSeconds(10), "the visitor, read back from the store, hears of it");
        (await worker.GetFromJsonAsync<JsonObject>($"/api/v1/codes/{person}"))!["reason"]!.GetValue<string>().ShouldContain("永康市");
    }
}
