using System.Diagnostics;
using Microsoft.Playwright;

namespace EpiGrid.Tests.Ui;

/// <summary>
/// The first view is usable within 2 seconds with the whole province seeded: 90 counties, 85,000 cells. Five loads
/// (cold first, desktop and phone in turn); the median must be under 2 s, and every figure is written out. The
/// median, not the maximum: this machine is shared, and one load stalled by a neighbour's build (3.5 s once, with
/// 1.1–1.9 s around it) says nothing about the page.
/// </summary>
public sealed class FirstViewTests(SeededUiApp app) : IClassFixture<SeededUiApp>
{
    [Fact]
    public async Task The_public_map_is_usable_within_2_seconds_of_load_with_85000_cells()
    {
        var times = new List<long>();
        for (var run = 0; run < 5; run++)
        {
            var page = await app.Browser.Open(app.BaseAddress, run % 2 == 0 ? Browser.Desktop : Browser.Phone);
            var clock = Stopwatch.StartNew();
            await page.GotoAsync("/");
            await Browser.Ready(page, "public");
            (await page.Locator("[data-county]").CountAsync()).ShouldBe(90);
            times.Add(clock.ElapsedMilliseconds);
            await page.Context.CloseAsync();
        }
        var report = $"First view (navigation to 90 coloured counties drawn), 85,000 cells: first {times[0]} ms, then {string.Join(", ", times.Skip(1))} ms";
        Console.WriteLine(report);
        await File.WriteAllTextAsync(Path.Combine(Browser.Screenshots, "..", "first-view.txt"), report + Environment.NewLine);
        times.Order().ElementAt(times.Count / 2).ShouldBeLessThan(2_000, report);
    }
}
