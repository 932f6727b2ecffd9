using System.Net.Http.Json;
using System.Text.Json.Nodes;
using EpiGrid.Tests.Infrastructure;
using EpiGrid.Tests.People;
using EpiGrid.WebHost.Auth;
using Microsoft.Playwright;

namespace EpiGrid.Tests.Ui;

public sealed class OfflineApp : UiApp;

/// <summary>
/// The field app without a network (issue 19), in Chromium on a phone with the browser context set offline: a visit, a
/// traveller and a check-in recorded offline wait in the outbox on the phone, survive a reload (the app shell from the
/// service worker, the inbox from its last known state), and land exactly once, in order, when the network returns.
/// </summary>
public sealed class OfflineTests(OfflineApp app) : IClassFixture<OfflineApp>
{
    const string Cell = "330122-101-001"; // Tonglu county

    [Fact]
    public async Task Work_recorded_offline_survives_a_reload_and_lands_once_in_order_when_the_network_returns()
    {
        var watched = await FieldWorkTests.ArrivalUnderWatch(app, Cell, ResidentIdTests.Make(420106, new DateOnly(1979, 6, 1), 3), "off-1");
        app.Clock.Advance(TimeSpan.FromDays(1)); // the day after arrival asks a check-in

        // One visit with a network: the app shell is kept by the service worker, the lists by the page.
        var page = await app.Browser.Open(app.BaseAddress, Browser.Phone, app.Token(Roles.GridWorker, null, Cell), "en");
        await page.GotoAsync("/");
        await Browser.Ready(page, "inbox");
        await Browser.Connected(page);
        var task = page.Locator("[data-testid=visits] li[data-kind=traveller-visit]");
        await task.WaitForAsync();
        var alertId = (await task.GetAttributeAsync("data-alert"))!;
        var due = page.Locator($"[data-testid=checkins] li[data-person='{watched}']");
        await due.WaitForAsync(new() { Timeout = 10_000 });
        await Until(page, "the service worker holds the app shell and the page its lists", """
            async () => !!navigator.serviceWorker.controller && (await caches.keys()).includes('epigrid-shell-v1')
              && await new Promise(resolve => { const r = indexedDB.open('epigrid'); r.onsuccess = () => { const tx = r.result.transaction('state');
                 const g = tx.objectStore('state').getAllKeys(); g.onsuccess = () => { resolve(g.result.some(k => String(k).startsWith('inbox:'))); r.result.close(); }; }; r.onerror = () => resolve(false); })
            """);
        app.Clock.Advance(TimeSpan.FromMinutes(1)); // what the phone records is dated by the server's clock, which the test holds still

        await page.Context.SetOfflineAsync(true);
        // A visit: the person was found at home.
        await task.Locator("summary").ClickAsync();
        await task.Locator("select[name=outcome]").SelectOptionAsync("found");
        await task.Locator("input[name=note]").FillAsync("offline visit");
        await task.Locator("button[type=submit]").ClickAsync();
        await Waiting(page, 1);
        await page.Locator("[data-testid=visits] .queued").WaitForAsync();
        // A traveller found at the door: a mistyped identity number is caught on the phone, and nothing goes in the outbox.
        var idNumber = ResidentIdTests.Make(420103, new DateOnly(1990, 2, 14), 12);
        var form = page.Locator("[data-testid=traveller-form]");
        await page.Locator("details.field-form summary").First.ClickAsync();
        await form.Locator("input[name=idNumber]").FillAsync(idNumber[..17] + (idNumber[17] == '1' ? "2" : "1"));
        await form.Locator("input[name=originArea]").FillAsync("武汉 Wuhan");
        await form.Locator("select[name=originRisk]").SelectOptionAsync("high");
        await form.Locator("select[name=mode]").SelectOptionAsync("car");
        await form.Locator("button[type=submit]").ClickAsync();
        await form.Locator(".form-problem").Filter(new() { HasText = "check character" }).WaitForAsync(new() { Timeout = 5_000 });
        (await page.Locator("[data-testid=outbox] li[data-seq]").CountAsync()).ShouldBe(1, "the mistyped number stayed on the form");
        await form.Locator("input[name=idNumber]").FillAsync(idNumber);
        await form.Locator("button[type=submit]").ClickAsync();
        await Waiting(page, 2);
        // A check-in of the person under watch.
        await due.Locator("summary").ClickAsync();
        await due.Locator("input[name=temperature]").FillAsync("36.6");
        await due.Locator("button[type=submit]").ClickAsync();
        await Waiting(page, 3);

        // Reloaded without a network: the app opens from the service worker's cache, the inbox from its last state, and
        // the outbox holds all three, in the order they were made.
        await page.ReloadAsync();
        await Browser.Ready(page, "inbox");
        await page.Locator("[data-testid=stale]").Filter(new() { HasText = "Offline: last known state" }).WaitForAsync();
        await page.Locator($"[data-testid=alerts] [data-alert='{alertId}']").WaitForAsync();
        await Waiting(page, 3);
        (await Kinds(page)).ShouldBe(["visit", "traveller", "check-in"]);
        await Browser.Screenshot(page, "field-app-offline-phone");
        using var auditor = app.As(Roles.Auditor);
        (await Events(auditor, $"stream=cell:{Cell}&kind=visit_recorded")).ShouldBeEmpty("nothing left the phone while offline");

        await page.Context.SetOfflineAsync(false);
        await page.Locator("[data-testid=outbox] li[data-state=sent]").Nth(2).WaitForAsync(new() { Timeout = 30_000 });
        (await page.Locator("[data-testid=outbox] li[data-state=waiting], [data-testid=outbox] li[data-state=refused]").CountAsync())
            .ShouldBe(0, await page.Locator("[data-testid=outbox]").TextContentAsync());
        await page.Locator($"[data-testid=alerts] [data-alert='{alertId}'][data-status=acknowledged]").WaitForAsync(new() { Timeout = 10_000 });
        (await page.Locator($"[data-testid=visits] li[data-alert='{alertId}']").CountAsync()).ShouldBe(0, "the task was answered by the visit");
        await page.Locator("[data-testid=stale]").WaitForAsync(new() { State = WaitForSelectorState.Hidden });
        await Browser.Screenshot(page, "field-app-synced-phone");

        // Each landed once, in the order it was made.
        var visits = await Events(auditor, $"stream=cell:{Cell}&kind=visit_recorded");
        visits.Count.ShouldBe(1);
        visits[0]["data"]!["alertId"]!.GetValue<string>().ShouldBe(alertId);
        var arrivals = (await Events(auditor, "kind=arrival_reported&pageSize=500")).Where(e => e.ToJsonString().Contains("field-app")).ToList();
        arrivals.Count.ShouldBe(1, "one traveller registered from the phone");
        var checkIns = await Events(auditor, $"stream=person:{watched}&kind=check_in_recorded");
        checkIns.Count.ShouldBe(1);
        long Seq(JsonObject e) => e["seq"]!.GetValue<long>();
        Seq(visits[0]).ShouldBeLessThan(Seq(arrivals[0]), "the visit was made before the traveller");
        Seq(arrivals[0]).ShouldBeLessThan(Seq(checkIns[0]), "the traveller before the check-in");

        // The traveller registered at the door is a task of the cell now; a suspected case reported from the phone lands too.
        await page.Locator("[data-testid=visits] li[data-kind=traveller-visit]").Filter(new() { HasText = "武汉" }).WaitForAsync(new() { Timeout = 10_000 });
        var suspected = page.Locator("[data-testid=suspected-form]");
        await page.Locator("details.field-form summary").Nth(1).ClickAsync();
        await suspected.Locator("input[name=idNumber]").FillAsync(ResidentIdTests.Make(330122, new DateOnly(1965, 9, 9), 21));
        await suspected.Locator("button[type=submit]").ClickAsync();
        await page.Locator("[data-testid=outbox] li[data-kind=suspected][data-state=sent]").WaitForAsync(new() { Timeout = 10_000 });
        var cases = (await auditor.GetFromJsonAsync<JsonObject>($"/api/v1/cells/{Cell}"))!["cases"]!.AsArray();
        cases.Count(c => c!["kind"]!.GetValue<string>() == "suspected").ShouldBe(1, cases.ToJsonString());

        // Online again and reloaded: what was sent is not sent again.
        await page.ReloadAsync();
        await Browser.Ready(page, "inbox");
        await Browser.Connected(page);
        await page.Locator("[data-testid=outbox] li[data-state=sent]").Nth(2).WaitForAsync();
        (await Events(auditor, $"stream=person:{watched}&kind=check_in_recorded")).Count.ShouldBe(1);
        (await Events(auditor, $"stream=cell:{Cell}&kind=visit_recorded")).Count.ShouldBe(1);
        await page.Context.CloseAsync();
    }

    static Task Waiting(IPage page, int n) =>
        page.Locator("[data-testid=outbox] li[data-state=waiting]").Nth(n - 1).WaitForAsync(new() { Timeout = 5_000 });

    static async Task<List<string>> Kinds(IPage page) =>
        [.. (await page.Locator("[data-testid=outbox] li[data-seq]").EvaluateAllAsync<string[]>("items => items.map(i => i.dataset.kind)"))];

    async Task<List<JsonObject>> Events(HttpClient auditor, string query) =>
        [.. (await auditor.GetFromJsonAsync<JsonObject>($"/api/v1/audit/events?{query}"))!["events"]!.AsArray().Select(e => e!.AsObject())];

    /// <summary>Polls an async predicate in the page (Playwright's waitForFunction is refused by the page's CSP).</summary>
    static async Task Until(IPage page, string what, string predicate)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (!await page.EvaluateAsync<bool>(predicate))
        {
            if (DateTime.UtcNow > deadline) throw new ShouldAssertException($"not within 15 s: {what}");
            await Task.Delay(200);
        }
    }
}
