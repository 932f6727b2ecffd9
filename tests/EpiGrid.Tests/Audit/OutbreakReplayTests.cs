using System.Net.Http.Json;
using System.Text.Json.Nodes;
using EpiGrid.Cells;
using EpiGrid.Counties.Rules;
using EpiGrid.Tests.Infrastructure;

namespace EpiGrid.Tests.Audit;

/// <summary>
/// A scripted outbreak of several days on the live platform, then replayed: the province as of each midnight must
/// equal an independent recomputation from the raw rows, a what-if run under national-3 must give the colour
/// timeline the live counties recorded under national-3, and one with other weights and cut-offs the timeline they
/// predict, with nothing live changed.
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
            await Settled();
        }

        /// <summary>
        /// The last day's clock step still moves the platform on its own timers: counties re-evaluate (quiet days step
        /// a colour down) every second here, and the alert ledger raises, delivers and escalates. Tests that count what
        /// a replay writes start when nothing has been written for longer than those timers' periods.
        /// </summary>
        async Task Settled()
        {
            var quietFor = TimeSpan.FromSeconds(4);
            var deadline = DateTime.UtcNow.AddSeconds(60);
            var last = await LastSeq();
            while (DateTime.UtcNow < deadline)
            {
                await Task.Delay(quietFor);
                var now = await LastSeq();
                if (now == last) return;
                last = now;
            }
            throw new TimeoutException("the outbreak's platform went on writing events for 60 s after its last day");
        }

        Task<long> LastSeq() => Database.Scalar<long>("select coalesce(max(seq_id), 0) from epigrid.mt_events");

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
        var body = await WhatIf(auditor, new { ruleSet = "national-3", from = outbreak.Began, to = outbreak.Ended });

        foreach (var code in new[] { Yiwu, Xihu })
            Timeline(body, code).ShouldBe(await LiveChanges(code, "national-3"), $"county {code}: moment, level and colour of each change");
        Timeline(body, Yiwu).Select(c => c.Colour).ShouldBe(["yellow", "red", "yellow", "red"]);
        Timeline(body, Yiwu)[1].ShouldBe((outbreak.Began.AddDays(2), "high", "red"), "53 confirmed and the market cluster");
        body["counties"]!.AsObject().Count.ShouldBe(90);
    }

    [Fact]
    public async Task What_if_zhejiang_5_with_other_weights_and_cut_offs_gives_the_timeline_they_predict_and_changes_nothing_live()
    {
        // Only confirmed cases count, so the score is the confirmed total; cut at 10, 25 and 50; quiet days never step down.
        var parameters = new
        {
            confirmedWeight = 1.0, confirmedSaturation = 100.0, localShareWeight = 0.0, clusterWeight = 0.0, newCasesWeight = 0.0,
            yellowFrom = 10.0, orangeFrom = 25.0, redFrom = 50.0, stepDownOneAfterQuietDays = 100, stepDownTwoAfterQuietDays = 200,
        };
        using var auditor = outbreak.Auditor();
        var liveBefore = await LiveCounties(auditor);
        var lastBefore = await outbreak.Database.Scalar<long>("select coalesce(max(seq_id), 0) from epigrid.mt_events");

        var changed = await WhatIf(auditor, new { ruleSet = "zhejiang-5", from = outbreak.Began, to = outbreak.Ended, parameters });
        var standard = await WhatIf(auditor, new { ruleSet = "zhejiang-5", from = outbreak.Began, to = outbreak.Ended });

        var day = outbreak.Began;
        Timeline(changed, Yiwu).ShouldBe([
            (day, "fairly-low", "blue"),                // 3 confirmed
            (day.AddDays(1), "medium", "yellow"),       // 23
            (day.AddDays(2), "high", "red"),            // 53
            (day.AddDays(3), "fairly-high", "orange"),  // 48: five ruled out
            (day.AddDays(4), "high", "red"),            // 52
        ]);
        Timeline(changed, Xihu).ShouldBe([(day, "fairly-low", "blue")]);   // 1 to 4 confirmed
        Timeline(changed, "330102").ShouldBe([(day, "low", "green")]);     // no case
        Timeline(standard, Yiwu).ShouldNotBe(Timeline(changed, Yiwu));
        standard["ruleVersion"]!.GetValue<string>().ShouldBe(new Zhejiang5RuleSet().Version);
        changed["ruleVersion"]!.GetValue<string>().ShouldNotBe(standard["ruleVersion"]!.GetValue<string>(), "the version names the weights");

        // Pure replay: the store gained the two runs' audit records and nothing else; the live counties are as they were.
        var written = await EventsSince(lastBefore);
        written.ShouldBe(new Dictionary<string, long> { ["audit_queried"] = 2 }, string.Join(", ", written));
        (await LiveCounties(auditor)).ShouldBe(liveBefore);
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

    static async Task<JsonObject> WhatIf(HttpClient auditor, object request)
    {
        var response = await auditor.PostAsJsonAsync("/api/v1/audit/what-if", request);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
        response.IsSuccessStatusCode.ShouldBeTrue(body.ToJsonString());
        return body;
    }

    static List<(DateTimeOffset At, string Level, string Colour)> Timeline(JsonObject whatIf, string code) =>
        whatIf["counties"]![code]!.AsArray().Select(c => (c!["at"]!.GetValue<DateTimeOffset>(), c["level"]!.GetValue<string>(), c["colour"]!.GetValue<string>())).ToList();

    /// <summary>The live county's changes under a rule set in the order recorded, the last of each moment, repeats folded.</summary>
    async Task<List<(DateTimeOffset At, string Level, string Colour)>> LiveChanges(string code, string ruleSet)
    {
        var changes = await outbreak.Database.Rows(
            "select data->'meta'->>'occurredAt', data->>'level', data->>'colour' from epigrid.mt_events where stream_id = @s and data->>'ruleSet' = @r order by version",
            r => (At: DateTimeOffset.Parse(r.GetString(0)), Level: Enum.Parse<RiskLevel>(r.GetString(1), ignoreCase: true).Name(), Colour: r.GetString(2)),
            ("s", "county:" + code), ("r", ruleSet));
        var last = changes.GroupBy(c => c.At).Select(g => g.Last()).ToList();
        return last.Where((c, i) => i == 0 || (last[i - 1].Level, last[i - 1].Colour) != (c.Level, c.Colour)).ToList();
    }

    /// <summary>The live answers for the outbreak's counties, as text.</summary>
    static async Task<List<string>> LiveCounties(HttpClient client) =>
        [await client.GetStringAsync($"/api/v1/counties/{Yiwu}"), await client.GetStringAsync($"/api/v1/counties/{Xihu}")];

    /// <summary>Events in the store: all but the audit trail's, and the audit trail's queries.</summary>
    async Task<Dictionary<string, long>> EventsSince(long seq) =>
        (await outbreak.Database.Rows("select type, count(*) from epigrid.mt_events where seq_id > @seq group by type",
            r => (Type: r.GetString(0), Count: r.GetInt64(1)), ("seq", seq))).ToDictionary(e => e.Type, e => e.Count);

    static IEnumerable<DateTimeOffset> Midnights(DateTimeOffset from, DateTimeOffset to)
    {
        var local = from.ToOffset(Zhejiang);
        for (var m = new DateTimeOffset(local.Date.AddDays(1), Zhejiang); m <= to; m = m.AddDays(1)) yield return m;
    }
}
