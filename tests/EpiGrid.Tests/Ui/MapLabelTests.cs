using System.Text.Json.Nodes;

namespace EpiGrid.Tests.Ui;

/// <summary>Every county's name fits its hexagon on the map, in Chinese and in English, on a desktop and on a phone.</summary>
public sealed class MapLabelTests(UiApp app) : IClassFixture<UiApp>
{
    [Theory]
    [InlineData("en")]
    [InlineData("zh")]
    public async Task No_county_name_overflows_its_hexagon(string lang)
    {
        var page = await app.Browser.Open(app.BaseAddress, Browser.Desktop, lang: lang);
        await page.GotoAsync("/public");
        await Browser.Ready(page, "public");
        foreach (var viewport in new[] { Browser.Desktop, Browser.Phone })
        {
            await page.SetViewportSizeAsync(viewport.Width, viewport.Height);
            // Each label's box (as drawn, in the map's units) against its hexagon: all four corners inside the shape.
            var labels = JsonNode.Parse(await page.EvaluateAsync<string>("JSON.stringify([...document.querySelectorAll('[data-county]')].map(g => {"
                + " const text = g.querySelector('text.label'), hex = g.querySelector('polygon.shape'), b = text.getBBox();"
                + " const corners = [[b.x, b.y], [b.x + b.width, b.y], [b.x, b.y + b.height], [b.x + b.width, b.y + b.height]];"
                + " return { code: g.dataset.county, name: text.textContent, width: b.width, font: Number(text.getAttribute('font-size')),"
                + "   inside: corners.every(([x, y]) => hex.isPointInFill(new DOMPoint(x, y))) }; }))"))!.AsArray();
            labels.Count.ShouldBe(90);
            foreach (var label in labels)
            {
                var what = $"{label!["code"]} '{label["name"]}' ({lang}, {viewport.Width}px)";
                label["name"]!.GetValue<string>().ShouldNotBeNullOrWhiteSpace(what);
                label["width"]!.GetValue<double>().ShouldBeGreaterThan(0, what);
                label["inside"]!.GetValue<bool>().ShouldBeTrue($"{what} overflows its hexagon");
                label["font"]!.GetValue<double>().ShouldBeGreaterThan(0.2, $"{what} is shrunk past reading");
            }
        }
        await page.Context.CloseAsync();
    }
}
