using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using EpiGrid.Tests.Infrastructure;
using EpiGrid.WebHost.Auth;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.Playwright;

namespace EpiGrid.Tests.Ui;

/// <summary>
/// The production profile with the web app signing people in at a real OpenID Connect provider on loopback
/// (<see cref="OpenIddictProvider"/>), whose access tokens live <see cref="AccessTokenLifetime"/>: renewals happen within
/// a test. The test's own API calls use the provider's service accounts.
/// </summary>
public sealed class OidcSignInApp : UiApp
{
    public static readonly TimeSpan AccessTokenLifetime = TimeSpan.FromSeconds(30);
    public OpenIddictProvider Provider { get; } = new(AccessTokenLifetime);
    public override string Environment => "Production";
    public override IDictionary<string, string?> WebSettings => Provider.HostSettings;

    public override async Task InitializeAsync()
    {
        await Provider.Start();
        await base.InitializeAsync();
        await Provider.RegisterWebClient(BaseAddress);
    }

    public override string Token(string role, string? county = null, params string[] cells) =>
        county is null && cells.Length == 0 ? Provider.ServiceToken(role).GetAwaiter().GetResult()
            : throw new NotSupportedException("people sign in through the browser; service accounts have no jurisdiction");

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Provider.DisposeAsync();
    }
}

/// <summary>
/// Issue 19, "sign in as people do": a grid worker on a phone signs in at the deployment's provider (code flow with PKCE),
/// the access token is renewed silently while the hub stays connected, and signing out clears what the phone kept.
/// </summary>
public sealed class OidcSignInTests(OidcSignInApp app) : IClassFixture<OidcSignInApp>
{
    const string CellA = "330782-201-001", CellB = "330782-201-002"; // Yiwu

    /// <summary>Polls from the test: Playwright's own waitForFunction evaluates strings in the page, which the policy forbids.</summary>
    static Task Until(IPage page, string expression, int seconds = 20) =>
        Eventually.True(async () => await page.EvaluateAsync<bool>(expression), TimeSpan.FromSeconds(seconds), expression);

    /// <summary>Every record the phone keeps in the IndexedDB database epigrid, as "store:key" (none when there is no database).</summary>
    static Task<string[]> OfflineRecords(IPage page) => page.EvaluateAsync<string[]>("""
        indexedDB.databases().then(dbs => !dbs.some(d => d.name === 'epigrid') ? [] : new Promise(resolve => {
          const open = indexedDB.open('epigrid');
          open.onsuccess = () => {
            const db = open.result, names = [...db.objectStoreNames], out = [];
            if (!names.length) { db.close(); resolve(out); return; }
            const tx = db.transaction(names);
            let left = names.length;
            for (const name of names) {
              const keys = tx.objectStore(name).getAllKeys();
              keys.onsuccess = () => { out.push(...keys.result.map(k => name + ':' + k)); if (--left === 0) { db.close(); resolve(out); } };
            }
          };
        }))
        """);

    static Task<string?> AccessToken(IPage page) => page.EvaluateAsync<string?>("import('/js/session.js').then(s => s.token())");

    [Fact]
    public async Task A_grid_worker_signs_in_at_the_provider_stays_connected_through_silent_renewals_and_signing_out_clears_the_phone()
    {
        await app.RegisterCell(CellA);
        await app.RegisterCell(CellB);
        app.Provider.AddUser(new("li.na", Roles.GridWorker, null, CellA, CellB));
        var page = await app.Browser.Open(app.BaseAddress, Browser.Phone, lang: "en");
        await page.Context.AddInitScriptAsync("window.__csp = []; document.addEventListener('securitypolicyviolation', "
            + "e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));");

        // The sign-in page: the provider's button first; the paste box waits behind the operators' link.
        var response = await page.GotoAsync("/#signin");
        (await response!.HeaderValueAsync("content-security-policy"))!
            .ShouldContain($"connect-src 'self' {app.Provider.Authority.GetLeftPart(UriPartial.Authority)};", Case.Sensitive, "the browser may reach the provider, and only it");
        await Browser.Ready(page, "signin");
        var button = page.Locator("[data-testid=provider-signin] button");
        (await button.TextContentAsync()).ShouldBe($"Sign in with {OpenIddictProvider.ProviderName}");
        (await page.Locator("[data-testid=token-signin]").IsHiddenAsync()).ShouldBeTrue("the paste box is behind the link");
        (await page.Locator("[data-testid=dev-signin]").IsHiddenAsync()).ShouldBeTrue("no development picker outside Development");
        await Browser.Screenshot(page, "signin-provider-phone");
        await page.ClickAsync("#lang");
        await page.Locator("[data-testid=provider-signin] button").Filter(new() { HasText = "通过统一身份认证登录" }).WaitForAsync();
        await Browser.Screenshot(page, "signin-provider-phone-zh");
        await page.ClickAsync("#lang");
        await page.Locator("[data-testid=provider-signin] button").Filter(new() { HasText = "Sign in with" }).WaitForAsync();
        await page.ClickAsync("[data-testid=operator-link]");
        (await page.Locator("[data-testid=token-signin]").IsVisibleAsync()).ShouldBeTrue("the link opens the paste box");
        await page.ClickAsync("[data-testid=operator-link]");

        // At the provider: its own page, then back to the app with a code, which the app exchanges (PKCE) and forgets.
        await button.ClickAsync();
        await page.WaitForURLAsync(url => url.StartsWith(app.Provider.Authority.ToString(), StringComparison.Ordinal));
        page.Url.ShouldContain("code_challenge_method=S256");
        await page.FillAsync("input[name=login]", "li.na");
        await page.ClickAsync("button[type=submit]");
        await Browser.Ready(page, "inbox");
        await Browser.Connected(page);
        page.Url.ShouldBe(new Uri(app.BaseAddress, "/").ToString(), "the code and state are gone from the address");
        app.Provider.CodeExchanges.ShouldBe(1);
        (await page.Locator($"[data-testid=my-cells] li[data-cell='{CellB}']").CountAsync()).ShouldBe(1, "both cells of the token");

        var first = (await AccessToken(page))!;
        var firstToken = new JsonWebToken(first);
        firstToken.GetClaim("role").Value.ShouldBe(Roles.GridWorker);
        firstToken.Claims.Where(c => c.Type == "cell").Select(c => c.Value).ShouldBe([CellA, CellB], ignoreOrder: true);
        firstToken.Audiences.ShouldBe([OidcIssuer.Audience]);
        (firstToken.ValidTo - firstToken.IssuedAt).ShouldBe(OidcSignInApp.AccessTokenLifetime);
        (await page.EvaluateAsync<bool>("Object.keys(localStorage).some(k => k.startsWith('oidc.user:'))")).ShouldBeTrue("the user is kept across browser restarts");

        // Every change of the connection's state from here on is recorded: it must stay 'connected'.
        await page.EvaluateAsync("() => { window.__states = []; new MutationObserver(() => window.__states.push(document.body.dataset.connection))"
            + ".observe(document.body, { attributes: true, attributeFilter: ['data-connection'] }); }");

        // Past the first token's expiry and the 30 s the API allows for clocks: it is refused now, the page's is not.
        var pastExpiry = firstToken.ValidTo + AuthOptions.ClockSkew + TimeSpan.FromSeconds(2);
        while (DateTime.UtcNow < pastExpiry) await Task.Delay(500);
        using (var stale = new HttpClient { BaseAddress = app.BaseAddress })
        {
            stale.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", first);
            (await stale.GetAsync($"/api/v1/cells/{CellA}")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized, "the first token has expired");
        }
        var renewed = (await AccessToken(page))!;
        renewed.ShouldNotBe(first, "renewed silently");
        new JsonWebToken(renewed).ValidTo.ShouldBeGreaterThan(DateTime.UtcNow);
        app.Provider.Refreshes.ShouldBeGreaterThanOrEqualTo(2, "renewed with the refresh token, once per token lifetime");
        app.Provider.CodeExchanges.ShouldBe(1, "no new sign-in");
        (await page.EvaluateAsync<string>("import('/js/api.js').then(a => a.get('/api/v1/cells/" + CellA + "')).then(c => c.cellId)")).ShouldBe(CellA);

        // A push after the renewals reaches the inbox on the same, never interrupted, connection.
        using var ingest = app.As(Roles.Ingest);
        (await app.ReportCase(ingest, CellA, "oidc-1")).StatusCode.ShouldBe(HttpStatusCode.Created);
        await page.WaitForSelectorAsync($"[data-testid=alerts] [data-alert='case:{CellA}:oidc-1'][data-status=open]", new() { Timeout = 10_000 });
        (await page.EvaluateAsync<string[]>("window.__states")).ShouldAllBe(s => s == "connected", "the hub never dropped");
        (await page.EvaluateAsync<string>("document.body.dataset.connection")).ShouldBe("connected");
        (await page.EvaluateAsync<string[]>("window.__csp")).ShouldBeEmpty("no Content-Security-Policy violation");

        // What the phone kept offline (the last known state in IndexedDB, the service worker's caches) is there to be cleared.
        await page.EvaluateAsync("caches.open('epigrid-probe').then(c => c.put('/probe', new Response('x')))");
        (await OfflineRecords(page)).ShouldContain("state:inbox:oidc-li.na", "the inbox keeps its last known state");

        // An item waiting in the outbox would be lost: the sign-out asks first, and staying keeps everything.
        await page.EvaluateAsync("import('/js/offline.js').then(async o => { const box = new o.Outbox('oidc-li.na', "
            + "{ send: () => Promise.reject(Object.assign(new Error('unavailable'), { status: 503 })) }); "
            + "await box.add({ kind: 'visit', label: 'probe', path: '/api/v1/probe', body: {}, key: 'probe' }); box.stop(); })");
        var asked = new List<string>();
        async void Answer(object? sender, IDialog dialog)
        {
            asked.Add(dialog.Message);
            if (asked.Count == 1) await dialog.DismissAsync(); else await dialog.AcceptAsync();
        }
        page.Dialog += Answer;
        await page.ClickAsync("#sign-out");
        await Eventually.True(() => Task.FromResult(asked.Count == 1), TimeSpan.FromSeconds(5), "the sign-out asks");
        asked[0].ShouldContain("1 item(s) not sent yet");
        (await page.Locator("#sign-out").CountAsync()).ShouldBe(1, "still signed in");
        (await AccessToken(page)).ShouldNotBeNull("still signed in");
        (await OfflineRecords(page)).ShouldContain(record => record.StartsWith("outbox:"), "the waiting item is kept");

        // Sign-out: through the provider's end-session endpoint, back to the public map, nothing of the session left.
        var lastAccessToken = (await AccessToken(page))!;
        var refreshToken = await page.EvaluateAsync<string>(
            "JSON.parse(localStorage.getItem(Object.keys(localStorage).find(k => k.startsWith('oidc.user:')))).refresh_token");
        await page.ClickAsync("#sign-out");
        await Browser.Ready(page, "public");
        page.Url.ShouldBe(new Uri(app.BaseAddress, "/").ToString());
        app.Provider.EndSessions.ShouldBe(1);
        asked.Count.ShouldBe(2);
        page.Dialog -= Answer;
        // The database was deleted: the outbox and the worker's last state are gone. Back on the public map the app keeps the
        // anonymous public map again, and the service worker its shell: nothing of the worker's.
        var records = await OfflineRecords(page);
        records.ShouldNotContain(record => record.StartsWith("outbox:") || record.Contains("oidc-li.na"), string.Join(", ", records));
        records.ShouldAllBe(record => record == "state:publicMap");
        var cacheNames = await page.EvaluateAsync<string[]>("caches.keys()");
        cacheNames.ShouldNotContain("epigrid-probe");
        cacheNames.ShouldAllBe(name => name.StartsWith("epigrid-shell-"), "only the worker's app shell, cached again");
        var stored = await page.EvaluateAsync<string[]>("[...Object.entries(localStorage), ...Object.entries(sessionStorage)].map(([k, v]) => k + '=' + v)");
        stored.ShouldNotContain(entry => entry.StartsWith("oidc.user:") || entry.StartsWith("epigrid.token"));
        stored.ShouldNotContain(entry => entry.Contains(lastAccessToken) || entry.Contains(refreshToken), "no token left in storage");
        (await page.EvaluateAsync<string?>("import('/js/session.js').then(s => s.token())")).ShouldBeNull();
        (await app.Provider.Refresh(refreshToken)).Status.ShouldBe(400, "the refresh token was revoked at sign-out");
        (await page.Locator("#sign-in").CountAsync()).ShouldBe(1);
    }
}
