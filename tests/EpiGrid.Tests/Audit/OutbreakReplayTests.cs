using System.Net.Http.Json;
using System.Text.Json.Nodes;
using EpiGrid.Tests.Infrastructure;

namespace EpiGrid.Tests.Audit;

/// <summary>
/// A scripted outbreak of several days on the live platform, then replayed: the province as of each midnight must
/// equal an independent recomputation from the raw rows, and a what-if run under national-3 must give the colour
/// timeline the live counties recorded under national-3.
/// </summary>
[Collection(AuditApp.Collection)]
public sealed class OutbreakReplayTests(OutbreakReplayTests.Outbreak outbreak) : IClassFixture<OutbreakReplayTests.Outbreak>
{
    const string Yiwu = "330782", Xihu = "330106";
    static readonly TimeSpan Zhejiang = TimeSpan.FromHours(8);

    public sealed class Outbreak : AuditApp, IAsyncLifetime
    {
        public DateTimeOffset Began { get; private set; }
        public DateTimeOffset Ended { get; private set; }

        public new async Task InitializeAsync()
        {
            await base.InitializeAsync();
            Began = Clock.GetUtcNow();
            string[] yiwu = ["330782-001-001", "330782-001-002", "330782-002-001"], xihu = ["330106-001-001", "330106-001-002"];
            foreach (var cell in yiwu.Concat(xihu)) await RegisterCell(cell);
            int nextCase = 0, yiwuCases = 0, xihuCases = 0;
            var yiwuReported = new List<(string Cell, string CaseId)>();

            async Task Day(int yiwuNew, int xihuNew, int yiwuRuledOut = 0, string? cluster = null)
            {
                for (var i = 0; i < yiwuNew; i++, yiwuCases++)
                {
                    yiwuReported.Add((yiwu[i % yiwu.Length], $"yw-{nextCase++}"));
                    await Report(yiwuReported[^1].Cell, yiwuReported[^1].CaseId, clusterId: i < 2 ? cluster : null);
                }
                for (var i = 0; i < xihuNew; i++, xihuCases++) await Report(xihu[i % xihu.Length], $"xh-{nextCase++}");
                for (var i = 0; i < yiwuRuledOut; i++, yiwuCases--) await ChangeStatus(yiwuReported[i].Cell, yiwuReported[i].CaseId, "ruled-out");
                await Eventually.True(async () => (await County(Yiwu)).Int("confirmedTotal") == yiwuCases
                                                   && (await County(Xihu)).Int("confirmedTotal") == xihuCases, TimeSpan.FromSeconds(20));
                Clock.Advance(TimeSpan.FromDays(1));
            }

            await Day(3, 1, cluster: "yw-family");
            await Day(20, 2);
            await Day(30, 0, cluster: "yw-market");      // 53 confirmed and clusters: high under national-3
            await Day(0, 1, yiwuRuledOut: 5);           // 48: medium again
            await Day(4, 0, cluster: "yw-factory");     // 52: high again
            await Day(0, 0);
            Ended = Clock.GetUtcNow();
        }

        Task IAsyncLifetime.InitializeAsync() => InitializeAsync();
    }

    [Fact]
    public async Task The_province_as_of_each_midnight_equals_an_independent_recomputation_from_the_raw_events()
    {
        var raw = await RawCases.Read(outbreak.Database);
        var midnights = Midnights(outbreak.Began, outbreak.Ended).ToList();
        midnights.Count.ShouldBeGreaterThanOrEqualTo(5);
        foreach (var midnight in midnights)
        {
            var expected = raw.National3ColoursAt(midnight);
            var province = await outbreak.Get($"/api/v1/province?asOf={AuditApp.Q(midnight)}");
            province["totals"]!.AsObject().Int("confirmedTotal").ShouldBe(raw.ConfirmedAt(midnight), $"confirmed as of {midnight}");
            foreach (var colour in new[] { "red", "yellow" })
                province["colourCounts"]!["national-3"]![colour]!.GetValue<int>()
                    .ShouldBe(expected.Values.Count(c => c == colour), $"{colour} counties as of {midnight}");
            foreach (var code in new[] { Yiwu, Xihu })
            {
                var county = await outbreak.Get($"/api/v1/counties/{code}?asOf={AuditApp.Q(midnight)}");
                county.ColourUnder("national-3").ShouldBe(expected.GetValueOrDefault(code, "green"), $"{code} as of {midnight}");
                county.Int("confirmedTotal").ShouldBe(raw.ConfirmedAt(midnight, code), $"{code} as of {midnight}");
            }
        }
        raw.National3ColoursAt(midnights[2])[Yiwu].ShouldBe("red", "the script reaches high");
    }

    [Fact]
    public async Task What_if_national_3_over_the_week_gives_the_colours_the_live_counties_recorded_under_national_3()
    {
        using var auditor = outbreak.Auditor();
        var response = await auditor.PostAsJsonAsync("/api/v1/audit/what-if",
            new { ruleSet = "national-3", from = outbreak.Began, to = outbreak.Ended });
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
        response.IsSuccessStatusCode.ShouldBeTrue(body.ToJsonString());

        foreach (var code in new[] { Yiwu, Xihu })
        {
            var whatIf = body["counties"]![code]!.AsArray().Select(c => c!["colour"]!.GetValue<string>()).ToList();
            var live = await LiveColours(code, "national-3");
            whatIf.ShouldBe(live, $"county {code}");
        }
        body["counties"]![Yiwu]!.AsArray().Select(c => c!["colour"]!.GetValue<string>())
            .ShouldBe(["yellow", "red", "yellow", "red"]);
        body["counties"]!.AsObject().Count.ShouldBe(90);
    }

    [Fact]
    public async Task Why_red_names_the_rule_set_the_inputs_and_the_cases_that_crossed_the_threshold()
    {
        var at = outbreak.Began.AddDays(2).AddHours(1);
        var why = await outbreak.Get($"/api/v1/audit/counties/{Yiwu}/colours/national-3?at={AuditApp.Q(at)}");
        why["colour"]!.GetValue<string>().ShouldBe("red");
        why["ruleVersion"]!.GetValue<string>().ShouldBe("2020-02-17.1");
        why["inputs"]!["confirmedTotal"]!.GetValue<double>().ShouldBe(53);
        why["before"]!["colour"]!.GetValue<string>().ShouldBe("yellow");
        why["movedBy"]!.GetValue<string>().ShouldBe("events");
        why["events"]!.AsArray().Count.ShouldBe(30);
        why["recorded"]!["colour"]!.GetValue<string>().ShouldBe("red");
    }

    /// <summary>The live county's national-3 colours in the order recorded, the last of each moment, repeats folded.</summary>
    async Task<List<string>> LiveColours(string code, string ruleSet)
    {
        var changes = await outbreak.Database.Rows(
            "select data->'meta'->>'occurredAt', data->>'colour' from epigrid.mt_events where stream_id = @s and data->>'ruleSet' = @r order by version",
            r => (At: DateTimeOffset.Parse(r.GetString(0)), Colour: r.GetString(1)), ("s", "county:" + code), ("r", ruleSet));
        var colours = changes.GroupBy(c => c.At).Select(g => g.Last().Colour).ToList();
        return colours.Where((c, i) => i == 0 || colours[i - 1] != c).ToList();
    }

    static IEnumerable<DateTimeOffset> Midnights(DateTimeOffset from, DateTimeOffset to)
    {
        var local = from.ToOffset(Zhejiang);
        for (var m = new DateTimeOffset(local.Date.AddDays(1), Zhejiang); m <= to; m = m.AddDays(1)) yield return m;
    }
}
