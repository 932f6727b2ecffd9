using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using EpiGrid.Tests.Infrastructure;

namespace EpiGrid.Tests.Api;

/// <summary>The real Silo and WebHost processes, killed with SIGKILL in the middle of a load, then started again.</summary>
public sealed class PlatformRestartTests
{
    static readonly string[] Counties = ["330782", "330106", "330302"];

    [Fact]
    public async Task After_SIGKILL_every_acknowledged_case_is_there_and_counties_show_the_same_totals_and_colours()
    {
        await using var db = await TestDatabase.Create();
        var acknowledged = new ConcurrentDictionary<string, string>();
        Dictionary<string, string> before;

        await using (var platform = new PlatformProcesses(db.ConnectionString, seedCells: 3000))
        {
            await platform.Start(TimeSpan.FromSeconds(120));
            using var ingest = await Client(platform, "ingest");
            using var stop = new CancellationTokenSource();
            var load = Task.WhenAll(Enumerable.Range(0, 8).Select(w => Report(ingest, w, acknowledged, stop.Token)));
            await Eventually.True(() => Task.FromResult(acknowledged.Count >= 300), TimeSpan.FromSeconds(60));
            platform.KillHard();
            stop.Cancel();
            await load;
        }

        await using (var platform = new PlatformProcesses(db.ConnectionString))
        {
            await platform.Start(TimeSpan.FromSeconds(120));
            using var auditor = await Client(platform, "auditor");
            foreach (var cell in acknowledged.Values.Distinct())
            {
                var view = (await auditor.GetFromJsonAsync<JsonObject>($"/api/v1/cells/{cell}"))!;
                var ids = view["cases"]!.AsArray().Select(c => c!["caseId"]!.GetValue<string>()).ToHashSet();
                acknowledged.Where(a => a.Value == cell).Select(a => a.Key).ShouldAllBe(id => ids.Contains(id));
            }
            var stored = await db.Scalar<long>("select count(*) from epigrid.mt_events where type = 'case_reported'");
            stored.ShouldBeGreaterThanOrEqualTo(acknowledged.Count);
            before = await Snapshot(auditor);
            before.Values.Sum(v => int.Parse(v.Split('|')[0])).ShouldBe((int)stored);
        }

        await using (var platform = new PlatformProcesses(db.ConnectionString))
        {
            await platform.Start(TimeSpan.FromSeconds(120));
            using var auditor = await Client(platform, "auditor");
            platform.KillHard();
        }

        await using (var platform = new PlatformProcesses(db.ConnectionString))
        {
            await platform.Start(TimeSpan.FromSeconds(120));
            using var auditor = await Client(platform, "auditor");
            (await Snapshot(auditor)).ShouldBe(before);
        }
    }

    static async Task Report(HttpClient client, int worker, ConcurrentDictionary<string, string> acknowledged, CancellationToken stop)
    {
        for (var i = 0; !stop.IsCancellationRequested; i++)
        {
            var county = Counties[(worker + i) % Counties.Length];
            var cell = $"{county}-001-{1 + i % 20:D3}";
            var caseId = $"k{worker}-{i}";
            try
            {
                var response = await client.PostAsJsonAsync($"/api/v1/cells/{cell}/cases", new
                {
                    caseId, kind = "confirmed", local = i % 2 == 0, clusterId = i % 7 == 0 ? $"cl-{county}" : null,
                    occurredAt = DateTimeOffset.UtcNow.AddHours(-(i % 48)).ToString("O"),
                }, stop);
                if (response.StatusCode == HttpStatusCode.Created) acknowledged[caseId] = cell;
            }
            catch (Exception e) when (e is HttpRequestException or OperationCanceledException) { }
        }
    }

    /// <summary>Every county's totals and colours as one comparable string each.</summary>
    static async Task<Dictionary<string, string>> Snapshot(HttpClient client)
    {
        var counties = (await client.GetFromJsonAsync<JsonArray>("/api/v1/counties"))!;
        return counties.Select(c => c!.AsObject()).ToDictionary(
            c => c["code"]!.GetValue<string>(),
            c => string.Join('|', c["confirmedTotal"], c["newLast14Days"], c["clustersLast14Days"], c["localConfirmed"],
                string.Join(',', c["colours"]!.AsObject().OrderBy(kv => kv.Key).Select(kv => $"{kv.Key}={kv.Value!["colour"]}"))));
    }

    static async Task<HttpClient> Client(PlatformProcesses platform, string role)
    {
        var client = new HttpClient { BaseAddress = platform.BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
        var issued = await client.PostAsJsonAsync("/api/v1/dev/tokens", new { role });
        issued.EnsureSuccessStatusCode();
        client.DefaultRequestHeaders.Authorization = new("Bearer", (await issued.Body())["token"]!.GetValue<string>());
        return client;
    }
}
