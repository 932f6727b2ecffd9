using System.Net.Http.Json;
using System.Text.Json.Nodes;
using EpiGrid.Tests.Infrastructure;

namespace EpiGrid.Tests.Api;

public sealed class CountyColoursTests(EpiGridApp app) : IClassFixture<EpiGridApp>
{
    static readonly string[] RuleSets = ["zhejiang-5", "national-3", "harvard-4"];

    [Fact]
    public async Task Counties_lists_all_90_divisions_with_names_and_colours_under_every_rule_set()
    {
        using var client = app.As("grid-worker", cells: "330106-001-001");
        var counties = (await client.GetFromJsonAsync<JsonArray>("/api/v1/counties"))!;

        counties.Count.ShouldBe(90);
        counties.Select(c => c!["code"]!.GetValue<string>()).Distinct().Count().ShouldBe(90);
        foreach (var county in counties.Select(c => c!.AsObject()))
        {
            county["nameZh"]!.GetValue<string>().ShouldNotBeNullOrWhiteSpace();
            county["nameEn"]!.GetValue<string>().ShouldNotBeNullOrWhiteSpace();
            foreach (var ruleSet in RuleSets)
            {
                county.ColourUnder(ruleSet).ShouldBeOneOf("red", "orange", "yellow", "blue", "green");
                county["colours"]![ruleSet]!["ruleVersion"]!.GetValue<string>().ShouldNotBeNullOrWhiteSpace();
            }
            county["colour"]!.GetValue<string>().ShouldBe(county.ColourUnder("zhejiang-5"));
        }
        counties.Single(c => c!["code"]!.GetValue<string>() == "330782")!["nameZh"]!.GetValue<string>().ShouldBe("义乌市");
    }

    [Fact]
    public async Task National_3_is_high_with_51_confirmed_cases_within_14_days_of_which_two_share_a_cluster()
    {
        const string county = "330782";
        await ReportConfirmed(county, 51, clusterOfFirstTwo: "yiwu-family-1");

        var view = await app.County(county);
        view.Int("confirmedTotal").ShouldBe(51);
        view.Int("clustersLast14Days").ShouldBe(1);
        view.LevelUnder("national-3").ShouldBe("high");
        view.ColourUnder("national-3").ShouldBe("red");
        view["colours"]!["national-3"]!["reasons"]!.AsArray().Count.ShouldBeGreaterThan(0);
    }

    [Fact]
    public async Task National_3_is_medium_with_three_recent_cases()
    {
        const string county = "330182";
        await ReportConfirmed(county, 3, clusterOfFirstTwo: null);

        var view = await app.County(county);
        view.Int("confirmedTotal").ShouldBe(3);
        view.LevelUnder("national-3").ShouldBe("medium");
    }

    [Fact]
    public async Task National_3_is_low_with_no_cases()
    {
        var view = await app.County("330881");
        view.Int("confirmedTotal").ShouldBe(0);
        view.LevelUnder("national-3").ShouldBe("low");
        view.ColourUnder("zhejiang-5").ShouldBe("green");
    }

    [Fact]
    public async Task The_province_counts_counties_per_colour_under_every_rule_set()
    {
        using var client = app.As("province-official");
        var province = (await client.GetFromJsonAsync<JsonObject>("/api/v1/province"))!;
        foreach (var ruleSet in RuleSets)
            province["colourCounts"]![ruleSet]!.AsObject().Sum(kv => kv.Value!.GetValue<int>()).ShouldBe(90);
    }

    async Task ReportConfirmed(string county, int count, string? clusterOfFirstTwo)
    {
        var cells = Enumerable.Range(1, 3).Select(i => $"{county}-009-{i:D3}").ToList();
        foreach (var cell in cells) await app.RegisterCell(cell);
        using var ingest = app.As("ingest");
        for (var i = 0; i < count; i++)
        {
            var response = await app.ReportCase(ingest, cells[i % cells.Count], $"{county}-case-{i}",
                clusterId: i < 2 ? clusterOfFirstTwo : null, occurredAt: EpiGridApp.Start.AddDays(-(i % 10)));
            response.StatusCode.ShouldBe(System.Net.HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        }
        await Eventually.True(async () => (await app.County(county)).Int("confirmedTotal") == count, TimeSpan.FromSeconds(10));
    }
}
