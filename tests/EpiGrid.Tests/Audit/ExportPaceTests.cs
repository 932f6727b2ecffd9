using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using EpiGrid.Tests.Infrastructure;
using EpiGrid.WebHost.Audit;
using EpiGrid.WebHost.Auth;
using EpiGrid.WebHost.Http;

namespace EpiGrid.Tests.Audit;

/// <summary>Exports paced at 500 rows a second, each to end within 4 s.</summary>
public sealed class PacedExportApp : EpiGridApp
{
    public const int RowsPerSecond = 500;
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(4);

    public override IDictionary<string, string?> WebSettings => new Dictionary<string, string?>
    {
        ["HeavyReads:Export:RowsPerSecond"] = RowsPerSecond.ToString(),
        ["HeavyReads:Export:Timeout"] = Timeout.ToString(),
    };
}

/// <summary>
/// An export streams no faster than <c>HeavyReads:Export:RowsPerSecond</c> (so that an auditor's export of the province
/// leaves the CPU to grid workers' reports), and an export too large to end within its timeout at that pace goes faster
/// rather than being cut off.
/// </summary>
public sealed class ExportPaceTests(PacedExportApp app) : IClassFixture<PacedExportApp>
{
    const string Small = "330122-101-001"; // Tonglu
    const string Large = "330782-001-001"; // Yiwu

    [Fact]
    public async Task An_export_keeps_to_its_pace_and_one_too_large_for_its_timeout_at_that_pace_still_ends_whole()
    {
        await app.RegisterCell(Small);
        await app.RegisterCell(Large);
        using var ingest = app.As(Roles.Ingest);
        await Report(ingest, Small, 700);
        await Report(ingest, Large, 2_000);
        using var auditor = app.As(Roles.Auditor);
        auditor.Timeout = TimeSpan.FromMinutes(1);

        // A county: at the configured pace.
        var (smallCount, smallLines, smallTook) = await Export(auditor, "?county=330122");
        smallCount.ShouldBeInRange(700, 1_600, "within what the pace streams in 80 % of the timeout");
        smallLines.ShouldBe(smallCount);
        smallTook.ShouldBeGreaterThanOrEqualTo(TimeSpan.FromSeconds(smallCount / (double)PacedExportApp.RowsPerSecond) - Slack,
            $"{smallCount} rows at {PacedExportApp.RowsPerSecond} a second");

        // The province: more than the pace streams within the timeout, so faster, and whole.
        var (allCount, allLines, allTook) = await Export(auditor, "");
        allCount.ShouldBeGreaterThan(2_700);
        allLines.ShouldBe(allCount, "not cut off at the timeout");
        var pace = ExportPace.For(allCount, new HeavyReadPolicy { RowsPerSecond = PacedExportApp.RowsPerSecond, Timeout = PacedExportApp.Timeout });
        pace.RowsPerSecond.ShouldBeGreaterThan(PacedExportApp.RowsPerSecond);
        allTook.ShouldBeGreaterThanOrEqualTo(TimeSpan.FromSeconds(allCount / pace.RowsPerSecond) - Slack, "paced, if faster");
        allTook.ShouldBeLessThan(PacedExportApp.Timeout);
    }

    [Fact]
    public void The_pace_is_the_configured_one_unless_the_timeout_needs_a_faster_one_and_none_when_unset()
    {
        var policy = new HeavyReadPolicy { MaxConcurrent = 1, Timeout = TimeSpan.FromSeconds(100), RowsPerSecond = 1_000 };
        ExportPace.For(80_000, policy).RowsPerSecond.ShouldBe(1_000);
        ExportPace.For(160_000, policy).RowsPerSecond.ShouldBe(2_000, "160,000 rows in 80 % of 100 s");
        ExportPace.For(160_000, policy with { RowsPerSecond = 0 }).ShouldBe(ExportPace.Unpaced);
        ExportPace.Unpaced.Ahead(1_000_000, TimeSpan.Zero).ShouldBe(TimeSpan.Zero);
        new ExportPace(1_000).Ahead(3_000, TimeSpan.FromSeconds(1)).ShouldBe(TimeSpan.FromSeconds(2));
        new ExportPace(1_000).Ahead(3_000, TimeSpan.FromSeconds(4)).ShouldBeLessThan(TimeSpan.Zero, "behind its pace: no wait");
        new HeavyReadOptions().Export.RowsPerSecond.ShouldBe(HeavyReadOptions.DefaultExportRowsPerSecond);
    }

    /// <summary>Timers may fire a little early against the test's stopwatch.</summary>
    static readonly TimeSpan Slack = TimeSpan.FromMilliseconds(50);

    async Task Report(HttpClient ingest, string cellId, int cases)
    {
        var at = app.Clock.GetUtcNow().AddHours(-1).ToString("O");
        var items = Enumerable.Range(0, cases).Select(i => new { type = "case", cellId, caseId = $"pace-{i}", kind = "suspected", local = true, occurredAt = at });
        var response = await ingest.PostAsJsonAsync("/api/v1/reports:batch", new { items });
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        (await response.Body())["results"]!.AsArray().ShouldAllBe(r => r!["status"]!.GetValue<int>() == 201);
    }

    static async Task<(long Count, long Lines, TimeSpan Took)> Export(HttpClient auditor, string query)
    {
        var clock = Stopwatch.StartNew();
        using var response = await auditor.GetAsync($"/api/v1/audit/export{query}", HttpCompletionOption.ResponseHeadersRead);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var count = long.Parse(response.Headers.GetValues("X-Event-Count").Single());
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        long lines = 0;
        while (await reader.ReadLineAsync() is { } line)
            if (line.Length > 0) lines++;
        return (count, lines, clock.Elapsed);
    }
}
