using System.Net.Http.Json;
using EpiGrid.Tests.Infrastructure;
using EpiGrid.WebHost.Auth;

namespace EpiGrid.Tests.Ui;

/// <summary>
/// Issue 17 in the browser: a closed cell is marked in its worker's inbox, counted on the public page and in the
/// official's county panel, live.
/// </summary>
public sealed class CellControlPagesTests(UiApp app) : IClassFixture<UiApp>
{
    [Fact]
    public async Task The_inbox_marks_a_closed_cell_and_the_public_page_and_the_officials_panel_count_it_under_its_county()
    {
        const string county = "330782", cell = "330782-401-001", other = "330782-401-002";
        await app.RegisterCell(cell);
        await app.RegisterCell(other);
        var worker = await app.Browser.Open(app.BaseAddress, Browser.Phone, app.Token(Roles.GridWorker, cells: [cell, other]));
        await worker.GotoAsync("/");
        await Browser.Ready(worker, "inbox");
        await Browser.Connected(worker);
        var visitor = await app.Browser.Open(app.BaseAddress, Browser.Desktop, lang: "en");
        await visitor.GotoAsync("/public");
        await Browser.Ready(visitor, "public");
        await visitor.WaitForSelectorAsync("[data-testid=closed-cells] li.muted");

        using var official = app.As(Roles.CountyOfficial, county);
        (await official.PutAsJsonAsync($"/api/v1/cells/{cell}/control", new
        {
            level = "closed", reason = "两例确诊", until = app.Clock.GetUtcNow().AddDays(14).ToString("O"),
        })).EnsureSuccessStatusCode();

        var mark = await worker.WaitForSelectorAsync($"[data-cell='{cell}'] [data-control='closed']", new() { Timeout = 10_000 });
        (await mark!.TextContentAsync())!.ShouldContain("封闭管理");
        (await worker.TextContentAsync($"[data-cell='{cell}']"))!.ShouldContain("两例确诊");
        (await worker.Locator($"[data-cell='{other}'] [data-control]").CountAsync()).ShouldBe(0);
        await worker.WaitForSelectorAsync($"[data-testid=alerts] [data-alert='control:{cell}:1']");
        await Browser.Screenshot(worker, "inbox-cell-closed");

        var row = await visitor.WaitForSelectorAsync($"[data-testid=closed-cells] [data-closed-county='{county}'][data-closed='1']", new() { Timeout = 15_000 });
        (await row!.TextContentAsync())!.ShouldContain("Yiwu");
        await row.ScrollIntoViewIfNeededAsync();
        await Browser.Screenshot(visitor, "public-closed-cells");
        var officialPage = await app.Browser.Open(app.BaseAddress, Browser.Desktop, app.Token(Roles.CountyOfficial, county));
        await officialPage.GotoAsync("/");
        await Browser.Ready(officialPage, "map");
        await Browser.Connected(officialPage);
        async Task<bool> Panel(string closed) => (await officialPage.Locator("[data-total=closedCells]").CountAsync()) == 1
            && (await officialPage.TextContentAsync("[data-total=closedCells]"))!.Trim() == closed;
        await Eventually.True(() => Panel("1"), TimeSpan.FromSeconds(10), "the official's county panel counts the closed cell");
        (await officialPage.TextContentAsync($"[data-testid=cells-under-control] [data-cell='{cell}'][data-control='closed']"))!.ShouldContain("两例确诊");
        await Browser.Screenshot(officialPage, "official-cells-under-control");

        (await official.PutAsJsonAsync($"/api/v1/cells/{cell}/control", new { level = "open", reason = "解除" })).EnsureSuccessStatusCode();
        await worker.WaitForSelectorAsync($"[data-cell='{cell}'] [data-control]", new() { State = Microsoft.Playwright.WaitForSelectorState.Detached, Timeout = 10_000 });
        await visitor.WaitForSelectorAsync($"[data-closed-county='{county}']", new() { State = Microsoft.Playwright.WaitForSelectorState.Detached, Timeout = 15_000 });
        await Eventually.True(() => Panel("0"), TimeSpan.FromSeconds(10), "the panel drops it once lifted");
        await officialPage.Context.CloseAsync();
        await worker.Context.CloseAsync();
        await visitor.Context.CloseAsync();
    }
}
