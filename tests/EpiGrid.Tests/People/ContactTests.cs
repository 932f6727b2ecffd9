using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using EpiGrid.Tests.Alerts;
using EpiGrid.Tests.Infrastructure;
using EpiGrid.WebHost.Auth;

namespace EpiGrid.Tests.People;

public sealed class ContactApp : PushApp;

/// <summary>
/// Close contacts traced across counties (issue 16): each contact becomes a person under watch where they stay, red until
/// 14 days after the last contact, with a tracing task to exactly their cell's workers and their county's officials.
/// </summary>
public sealed class ContactTests(ContactApp app) : IClassFixture<ContactApp>
{
    const string CaseCell = "330106-401-001", QuietCell = "330106-401-002";
    static readonly string[] ContactCells = ["330106-401-003", "330782-401-001", "330212-401-001"];
    static string Id(int n) => ResidentIdTests.Make(330106, new DateOnly(1982, 3, 4), n);

    [Fact]
    public async Task Twenty_contacts_in_three_counties_are_red_until_14_days_after_the_last_contact_each_cell_gets_exactly_its_tasks_and_a_resend_adds_nothing()
    {
        foreach (var cell in ContactCells.Append(CaseCell).Append(QuietCell)) await app.RegisterCell(cell);
        using var ingest = app.As(Roles.Ingest);
        (await app.ReportCase(ingest, CaseCell, "ct-case-1", occurredAt: app.Clock.GetUtcNow().AddHours(-3))).StatusCode.ShouldBe(HttpStatusCode.Created);

        var workers = new Dictionary<string, DotNetAlertClient>();
        foreach (var cell in ContactCells.Append(QuietCell))
            workers[cell] = await DotNetAlertClient.Connect(app.BaseAddress, app.Token(Roles.GridWorker, cells: cell));
        await using var yiwuOfficial = await DotNetAlertClient.Connect(app.BaseAddress, app.Token(Roles.CountyOfficial, "330782"));
        try
        {
            var lastContact = app.Clock.GetUtcNow().AddHours(-1);
            var items = Enumerable.Range(1, 20).Select(n => new
            {
                idNumber = Id(n), name = $"接触者 {n}", phone = $"1390000{n:D4}", cellId = ContactCells[n % 3],
                lastContactAt = lastContact.ToString("O"), setting = n % 2 == 0 ? "household" : "work", source = "investigator", sourceRecordId = $"ct-{n}",
            }).ToArray();
            var response = await ingest.PostAsJsonAsync("/api/v1/cases/ct-case-1/contacts", new { items });
            response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
            var text = await response.Content.ReadAsStringAsync();
            text.ShouldNotContain(Id(1), customMessage: "no identity number in the answer");
            var answered = JsonNode.Parse(text)!["items"]!.AsArray();
            answered.Count.ShouldBe(20);
            var quarantineEnds = new DateTimeOffset(lastContact.ToOffset(TimeSpan.FromHours(8)).Date.AddDays(14), TimeSpan.FromHours(8));
            foreach (var item in answered)
            {
                item!["duplicate"]!.GetValue<bool>().ShouldBeFalse();
                item["code"]!["colour"]!.GetValue<string>().ShouldBe("red");
                item["code"]!["validUntil"]!.GetValue<DateTimeOffset>().ShouldBe(quarantineEnds, "green at the earliest 14 days after the last contact");
                item["code"]!["maskedId"]!.GetValue<string>().ShouldContain("*");
            }
            var persons = answered.Select(i => i!["personRef"]!.GetValue<string>()).ToList();
            persons.Distinct().Count().ShouldBe(20);

            // Each cell's workers get exactly the tasks of the contacts staying there.
            foreach (var (cell, index) in ContactCells.Select((c, i) => (c, i)))
            {
                var theirs = persons.Where((_, i) => (i + 1) % 3 == index).ToHashSet();
                await Eventually.True(() => Task.FromResult(workers[cell].Alerts.Count(a => a.Kind == "contact-trace") == theirs.Count),
                    TimeSpan.FromSeconds(10), $"{cell}: {theirs.Count} tracing tasks");
                var tasks = workers[cell].Alerts.Where(a => a.Kind == "contact-trace").ToList();
                tasks.Select(a => a.Alert["subject"]!["personRef"]!.GetValue<string>()).ToHashSet().SetEquals(theirs).ShouldBeTrue();
                tasks.ShouldAllBe(a => a.Alert["cellId"]!.GetValue<string>() == cell);
                tasks.ShouldAllBe(a => a.Alert["message"]!.GetValue<string>().Contains("12"));
            }
            await Eventually.True(() => Task.FromResult(yiwuOfficial.Alerts.Count(a => a.Kind == "contact-trace") == persons.Where((_, i) => (i + 1) % 3 == 1).Count()),
                TimeSpan.FromSeconds(10), "Yiwu's officials: the tasks of Yiwu's contacts");
            yiwuOfficial.Alerts.Where(a => a.Kind == "contact-trace").ShouldAllBe(a => a.Alert["county"]!.GetValue<string>() == "330782");

            // The same list again: every item a duplicate, nothing recorded, no task raised.
            var events = await app.Database.Scalar<long>("select count(*) from epigrid.mt_events where type = 'contact_recorded'");
            events.ShouldBe(20);
            var again = await ingest.PostAsJsonAsync("/api/v1/cases/ct-case-1/contacts", new { items });
            again.StatusCode.ShouldBe(HttpStatusCode.OK);
            (await again.Body())["items"]!.AsArray().ShouldAllBe(i => i!["duplicate"]!.GetValue<bool>());
            (await app.Database.Scalar<long>("select count(*) from epigrid.mt_events where type = 'contact_recorded'")).ShouldBe(events);
            await Task.Delay(TimeSpan.FromSeconds(1));
            // A county's colour change goes to everyone in the county; a contact's task only to the contact's cell.
            workers[QuietCell].Alerts.Where(a => a.Kind == "contact-trace").ShouldBeEmpty("a cell with no contact gets no task");
            workers.Values.Sum(w => w.Alerts.Count(a => a.Kind == "contact-trace")).ShouldBe(20, "no task twice");

            // The same person named by a second case: one person, two exposures.
            (await app.ReportCase(ingest, CaseCell, "ct-case-2", occurredAt: app.Clock.GetUtcNow().AddHours(-2))).StatusCode.ShouldBe(HttpStatusCode.Created);
            var second = await (await ingest.PostAsJsonAsync("/api/v1/cases/ct-case-2/contacts", new { items = new[] { items[0] with { sourceRecordId = "ct-2-1" } } })).Body();
            second["items"]![0]!["personRef"]!.GetValue<string>().ShouldBe(persons[0]);
            (await app.Database.Scalar<long>("select count(*) from epigrid.mt_events where type = 'contact_recorded' and stream_id = @s", ("s", "person:" + persons[0])))
                .ShouldBe(2);
        }
        finally
        {
            foreach (var w in workers.Values) await w.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_contact_list_is_checked_item_by_item_and_nothing_is_recorded_when_one_is_wrong()
    {
        await app.RegisterCell(CaseCell);
        using var ingest = app.As(Roles.Ingest);
        (await app.ReportCase(ingest, CaseCell, "ct-case-3", occurredAt: app.Clock.GetUtcNow().AddHours(-3))).StatusCode.ShouldBe(HttpStatusCode.Created);
        var before = await app.Database.Scalar<long>("select count(*) from epigrid.mt_events where type = 'contact_recorded'");
        var good = new { idNumber = Id(50), cellId = CaseCell, lastContactAt = app.Clock.GetUtcNow().AddHours(-1).ToString("O"), setting = "social", source = "police", sourceRecordId = "ct-bad-1" };
        var response = await ingest.PostAsJsonAsync("/api/v1/cases/ct-case-3/contacts", new
        {
            items = new object[]
            {
                good,
                good with { idNumber = Id(51)[..17] + (Id(51)[17] == '0' ? '1' : '0'), sourceRecordId = "ct-bad-2" },
                good with { setting = "party", sourceRecordId = "ct-bad-3" },
                good with { cellId = "999999-001-001", sourceRecordId = "ct-bad-4" },
            },
        });
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var errors = (await response.Body())["errors"]!.AsObject();
        errors.Select(e => e.Key).Order().ShouldBe(["items[1].idNumber", "items[2].setting", "items[3].cellId"]);
        (await app.Database.Scalar<long>("select count(*) from epigrid.mt_events where type = 'contact_recorded'")).ShouldBe(before, "nothing half-written");

        (await ingest.PostAsJsonAsync("/api/v1/cases/no-such-case/contacts", new { items = new[] { good } })).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        using var stranger = app.As(Roles.GridWorker, cells: "330106-401-009");
        (await stranger.PostAsJsonAsync("/api/v1/cases/ct-case-3/contacts", new { items = new[] { good } })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }
}
