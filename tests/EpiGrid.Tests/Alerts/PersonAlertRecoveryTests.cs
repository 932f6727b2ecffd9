using EpiGrid.Platform;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using EpiGrid.Grains.Storage;
using EpiGrid.People;
using EpiGrid.Tests.Infrastructure;
using EpiGrid.Tests.People;
using EpiGrid.WebHost.Auth;

namespace EpiGrid.Tests.Alerts;


/// <summary>
/// Person alerts (fever at a check-in, a missed day) and escalations lost with the alert ledger (its writes failed, then
/// its silo went down) come back from the store, each exactly once; a missed day whose event did not commit is not skipped.
/// </summary>
public sealed class PersonAlertRecoveryTests(StoreBlipApp app) : IClassFixture<StoreBlipApp>
{
    static readonly TimeSpan RecoverWithin = TimeSpan.FromSeconds(40);

    async Task<string> Arrive(HttpClient ingest, string cell, int n) => (await (await ingest.PostAsJsonAsync($"/api/v1/cells/{cell}/travellers", new
    {
        idNumber = ResidentIdTests.Make(420106, new DateOnly(1991, 3, 4), n), origin = new { area = "武汉 Wuhan", risk = "high" },
        arrivedAt = app.Clock.GetUtcNow().AddHours(-1).ToString("O"), mode = "rail", source = "rail", sourceRecordId = $"recovery-{cell}-{n}",
    })).Body())["personRef"]!.GetValue<string>();

    async Task<List<JsonObject>> Alerts(HttpClient reader, string cell) =>
        (await reader.GetFromJsonAsync<JsonArray>($"/api/v1/alerts?cell={cell}&limit=5000"))!.Select(a => a!.AsObject()).ToList();

    static string Subject(JsonObject alert, string key) => alert["subject"]![key]!.GetValue<string>();

    [Fact]
    public async Task Fever_missed_days_and_escalations_lost_with_the_ledger_are_raised_from_the_store_exactly_once()
    {
        const string cell = "330106-001-001";
        await app.RegisterCell(cell);
        using var ingest = app.As(Roles.Ingest);
        using var admin = app.Admin();
        // The first day after arrival ends without a check-in (the day of arrival asks none).
        var day1 = app.Clock.GetUtcNow().ToOffset(TimeSpan.FromHours(8)).AddDays(1).ToString("yyyy-MM-dd");
        var persons = new List<string>();
        for (var n = 1; n <= 4; n++) persons.Add(await Arrive(ingest, cell, n));
        // Each high-risk arrival raises a visit task (due in 24 h), committed before the fault: they will fall overdue.
        await Eventually.True(async () => (await Alerts(admin, cell)).Count(a => a["kind"]!.GetValue<string>() == "traveller-visit") == 4,
            TimeSpan.FromSeconds(15), "a visit task per arrival");

        // The ledger cannot record a new alert (every raise fails as an unreachable store would) while persons report
        // fever, days end without check-ins, and the visit tasks fall overdue and escalate.
        app.Blip.Fail(w => w.StreamKey.StartsWith("alert:", StringComparison.Ordinal) && w.ExpectedVersion == 0);
        try
        {
            foreach (var (person, temperature, symptoms) in new[] { (persons[0], 38.4m, Array.Empty<string>()), (persons[1], 36.6m, new[] { "cough" }), (persons[2], 36.5m, Array.Empty<string>()) })
                (await ingest.PostAsJsonAsync($"/api/v1/persons/{person}/check-ins",
                    new { occurredAt = app.Clock.GetUtcNow().ToString("O"), temperature, symptoms })).StatusCode.ShouldBe(HttpStatusCode.Created);
            app.Clock.Advance(TimeSpan.FromDays(2));
            const string missed = "select count(*) from epigrid.mt_events where type = 'check_in_missed'";
            const string escalated = "select count(*) from epigrid.mt_events where type = 'alert_escalated'";
            await Eventually.True(async () => await app.Database.Scalar<long>(missed) >= 4 && await app.Database.Scalar<long>(escalated) >= 4,
                TimeSpan.FromSeconds(20), "every person's first day ended without a check-in and every visit task escalated");
            app.Blip.Refused.ShouldBeGreaterThan(0, "the fault was felt: raises were refused");

            // The ledger's silo goes down with whatever it held in memory.
            await app.RestartSilo();
        }
        finally
        {
            app.Blip.End();
        }

        bool Has(List<JsonObject> all, string kind, string key, string value) =>
            all.Any(a => a["kind"]!.GetValue<string>() == kind && Subject(a, key) == value);
        var visits = (await Alerts(admin, cell)).Where(a => a["kind"]!.GetValue<string>() == "traveller-visit").Select(a => a["id"]!.GetValue<string>()).ToList();
        List<JsonObject> recovered = [];
        try
        {
            await Eventually.True(async () =>
            {
                recovered = await Alerts(admin, cell);
                return Has(recovered, "check-in-symptoms", "personRef", persons[0]) && Has(recovered, "check-in-symptoms", "personRef", persons[1])
                    && persons.All(p => recovered.Any(a => a["kind"]!.GetValue<string>() == "check-in-missed" && Subject(a, "personRef") == p
                        && a["message"]!.GetValue<string>().Contains(day1)))
                    && visits.All(v => Has(recovered, "escalation", "alertId", v));
            }, RecoverWithin);
        }
        catch (TimeoutException)
        {
            throw new Xunit.Sdk.XunitException("Not every lost alert came back from the store within " + RecoverWithin.TotalSeconds + " s; present: "
                + string.Join(", ", recovered.Select(a => a["id"]!.GetValue<string>())));
        }
        recovered.ShouldNotContain(a => a["kind"]!.GetValue<string>() == "check-in-symptoms" && Subject(a, "personRef") == persons[2],
            "a normal check-in raises nothing");

        // Exactly once: one raise per alert stream, one sequence number per alert.
        var raises = await app.Database.Rows("select stream_id, count(*) from epigrid.mt_events where type = 'alert_raised' group by stream_id",
            r => (Stream: r.GetString(0), Count: r.GetInt64(1)));
        raises.Where(r => r.Count > 1).ShouldBeEmpty("an alert raised twice");
        recovered.Select(a => a["id"]!.GetValue<string>()).ShouldBeUnique();
        recovered.Select(a => a["seq"]!.GetValue<long>()).ShouldBeUnique();
    }

    [Fact]
    public async Task A_missed_day_whose_event_did_not_commit_is_recorded_once_the_store_is_back_without_a_restart()
    {
        const string cell = "330110-001-001";
        await app.RegisterCell(cell);
        using var ingest = app.As(Roles.Ingest);
        using var admin = app.Admin();
        var person = await Arrive(ingest, cell, 9);
        app.Blip.Fail(w => w.StreamKey == StreamKeys.Person(person) && w.Events.Any(e => e is CheckInMissed));
        var before = app.Blip.Refused;
        try
        {
            app.Clock.Advance(TimeSpan.FromDays(2));
            await Eventually.True(() => Task.FromResult(app.Blip.Refused > before), TimeSpan.FromSeconds(20), "the watch tried to record the missed day");
            await Task.Delay(TimeSpan.FromSeconds(3)); // a few more watch rounds while the store refuses
        }
        finally
        {
            app.Blip.End();
        }
        await Eventually.True(async () => (await Alerts(admin, cell)).Any(a => a["kind"]!.GetValue<string>() == "check-in-missed" && Subject(a, "personRef") == person),
            TimeSpan.FromSeconds(20), "the watch did not move past a day whose miss was not recorded");
        (await app.Database.Scalar<long>($"select count(*) from epigrid.mt_events where type = 'check_in_missed' and stream_id = 'person:{person}'"))
            .ShouldBe(1, "the day after arrival recorded once (the day of arrival asks no check-in; today has not ended)");
    }
}
