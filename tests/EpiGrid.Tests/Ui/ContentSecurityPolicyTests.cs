using EpiGrid.WebHost.Auth;
using Microsoft.Playwright;

namespace EpiGrid.Tests.Ui;

/// <summary>The pages work under the Content-Security-Policy the web host sends: Chromium reports no violation.</summary>
public sealed class ContentSecurityPolicyTests(UiApp app) : IClassFixture<UiApp>
{
    /// <summary>Opens a page that records every CSP violation Chromium reports (securitypolicyviolation events).</summary>
    async Task<IPage> Open(string? token = null)
    {
        var page = await app.Browser.Open(app.BaseAddress, Browser.Desktop, token, lang: "en");
        await page.Context.AddInitScriptAsync("window.__csp = []; document.addEventListener('securitypolicyviolation', "
            + "e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));");
        return page;
    }

    /// <summary>Polls from the test: Playwright's own waitForFunction evaluates strings in the page, which the policy forbids.</summary>
    static Task Until(IPage page, string expression, int seconds = 20) =>
        Infrastructure.Eventually.True(async () => await page.EvaluateAsync<bool>(expression), TimeSpan.FromSeconds(seconds), expression);

    static async Task NoViolations(IPage page, string what) =>
        (await page.EvaluateAsync<string[]>("window.__csp")).ShouldBeEmpty(what);

    [Fact]
    public async Task The_public_map_and_the_officials_map_run_under_the_strict_policy()
    {
        var page = await Open();
        var response = await page.GotoAsync("/public");
        (await response!.HeaderValueAsync("content-security-policy"))!.ShouldNotContain("unsafe-inline");
        await Browser.Ready(page, "public");
        await NoViolations(page, "public map");

        var official = await Open(app.Token(Roles.ProvinceOfficial));
        await official.GotoAsync("/");
        await Browser.Ready(official, "map");
        await Until(official, "document.body.dataset.connection === 'connected'");
        await official.Locator("[data-county='330782']").ClickAsync();
        await official.WaitForTimeoutAsync(500);
        await NoViolations(official, "official's map and county details");
    }

    [Fact]
    public async Task The_api_reference_renders_under_its_policy()
    {
        var page = await Open();
        var foreign = new List<string>();
        page.Request += (_, request) => { if (!request.Url.StartsWith(app.BaseAddress.ToString().TrimEnd('/')) && !request.Url.StartsWith("data:")) foreign.Add(request.Url); };
        await page.GotoAsync("/scalar/");
        await Until(page, "document.body.innerText.includes('Audit') && document.body.innerText.includes('Persons')");
        await NoViolations(page, "API reference");
        foreign.ShouldBeEmpty("the API reference fetches nothing from other origins");
    }

    [Fact]
    public async Task The_orleans_dashboard_renders_under_its_policy()
    {
        var page = await Open();
        await page.GotoAsync($"/dashboard/signin?token={app.Token(Roles.Admin)}");
        await Until(page, "document.body.innerText.trim().length > 0 && document.querySelectorAll('a, button').length > 0");
        await page.WaitForTimeoutAsync(1000);
        page.Url.ShouldContain("/dashboard");
        await NoViolations(page, "Orleans dashboard");
    }
}
