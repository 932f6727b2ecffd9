using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using EpiGrid.Tests.Alerts;
using EpiGrid.Tests.Infrastructure;
using EpiGrid.WebHost.Auth;

namespace EpiGrid.Tests.People;

public sealed class QuarantineApp : PushApp;

/// <summary>Quarantine on the test clock, day by day, across a restart of the silo.</summary>
public sealed class QuarantineTests(QuarantineApp app) : IClassFixture<QuarantineApp>
{
    const string Cell = "330108-002-001";

    [Fact]
    public async Task Daily_check_ins_turn_the_code_green_a_missed_day_is_alerted_and_keeps_it_red_and_deadlines_survive_a_restart()
    {
        await app.RegisterCell(Cell);
        using var ingest = app.As(Roles.Ingest);
        using var worker = app.As(Roles.GridWorker, cells: Cell);
        async Task<string> Arrive(int n, string risk) => (await (await ingest.PostAsJsonAsync($"/api/v1/cells/{Cell}/travellers", new
        {
            idNumber = ResidentIdTests.Make(420106, new DateOnly(1990, 1, 1), n), origin = new { area = "武汉 Wuhan", risk },
            arrivedAt = app.Clock.GetUtcNow().AddHours(-1).ToString("O"), mode = "rail", source = "rail", sourceRecordId = $"q-{n}",
        })).Body())["personRef"]!.GetValue<string>();
        var steady = await Arrive(1, "high");
        var skipper = await Arrive(2, "high");
        var yellow = await Arrive(3, "medium");
        // The county's watch holds a reminder in PostgreSQL while it watches anyone: it outlives the silo.
        const string reminders = "select count(*) from epigrid.orleans_reminders where grain_id like '%/330108' and reminder_name = 'quarantine-deadlines'";
        (await app.Database.Scalar<long>(reminders)).ShouldBe(1);

        async Task CheckIn(string personRef) =>
            (await worker.PostAsJsonAsync($"/api/v1/persons/{personRef}/check-ins",
                new { occurredAt = app.Clock.GetUtcNow().ToString("O"), temperature = 36.5, symptoms = Array.Empty<string>() }))
            .StatusCode.ShouldBe(HttpStatusCode.Created);
        async Task<string> Colour(string personRef) => (await worker.GetFromJsonAsync<JsonObject>($"/api/v1/codes/{personRef}"))!["colour"]!.GetValue<string>();
        async Task<JsonArray> Alerts(string kind) => new(((await worker.GetFromJsonAsync<JsonArray>($"/api/v1/alerts?cell={Cell}"))!)
            .Where(a => a!["kind"]!.GetValue<string>() == kind).Select(a => a!.DeepClone()).ToArray());

        async Task<string[]> Due() => (await worker.GetFromJsonAsync<JsonObject>($"/api/v1/cells/{Cell}/check-ins-due"))!["persons"]!.AsArray()
            .Select(p => p!["personRef"]!.GetValue<string>()).Order().ToArray();
        (await Due()).ShouldBeEmpty("the day of arrival asks no check-in");

        for (var day = 1; day <= 14; day++)
        {
            app.Clock.Advance(TimeSpan.FromDays(1));
            if (day == 1)
            {
                (await Due()).ShouldBe(new[] { steady, skipper, yellow }.Order().ToArray(), "a new day: everyone under a code owes a check-in");
                await CheckIn(steady);
                await Eventually.True(async () => !(await Due()).Contains(steady), TimeSpan.FromSeconds(5), "a check-in settles the day");
                (await Due()).ShouldBe(new[] { skipper, yellow }.Order().ToArray());
                var listed = (await worker.GetFromJsonAsync<JsonObject>($"/api/v1/cells/{Cell}/check-ins-due"))!["persons"]!.AsArray();
                listed.ShouldAllBe(p => p!["maskedId"]!.GetValue<string>().Contains("********"));
                await CheckIn(skipper);
                await CheckIn(yellow);
                continue;
            }
            if (day == 6)
            {
                // A restart in the middle of the quarantine, on the day the skipper will miss: nothing calls the
                // skipper afterwards, so the watch can only know of them from the store.
                await app.RestartSilo();
                (await app.Database.Scalar<long>(reminders)).ShouldBe(1, "the reminder is in the store, not in the dead silo's memory");
            }
            await CheckIn(steady);
            if (day <= 7) await CheckIn(yellow);
            if (day != 6) await CheckIn(skipper);
            if (day == 7)
            {
                (await Colour(yellow)).ShouldBe("green", "medium risk: 7 consecutive normal days");
                await Eventually.True(async () => (await Alerts("check-in-missed")).Any(a => a!["subject"]!["personRef"]!.GetValue<string>() == skipper),
                    TimeSpan.FromSeconds(10), "day 6 ended without a check-in; the watch, rebuilt after the restart, noticed");
            }
        }

        (await Colour(steady)).ShouldBe("green");
        (await Colour(skipper)).ShouldBe("red", "the missed day broke the run");
        await Eventually.True(async () => (await Alerts("quarantine-release")).Any(a => a!["subject"]!["personRef"]!.GetValue<string>() == steady),
            TimeSpan.FromSeconds(10), "a release task for the person whose quarantine is over");
        (await Alerts("check-in-missed")).Count(a => a!["subject"]!["personRef"]!.GetValue<string>() == skipper).ShouldBe(1);
        (await Alerts("check-in-missed")).ShouldNotContain(a => a!["subject"]!["personRef"]!.GetValue<string>() == steady);
    }
}
