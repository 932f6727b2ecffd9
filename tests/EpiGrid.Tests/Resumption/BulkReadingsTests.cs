using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using EpiGrid.Resumption;
using EpiGrid.Tests.Alerts;
using EpiGrid.Tests.Infrastructure;
using EpiGrid.WebHost.Auth;
using Microsoft.AspNetCore.SignalR.Client;
using Xunit.Abstractions;

namespace EpiGrid.Tests.Resumption;

public sealed class BulkReadingsTests(PushApp app, ITestOutputHelper output) : IClassFixture<PushApp>
{
    const int Enterprises = 100_000;
    const string Day = "2020-02-19";

    [Fact]
    public async Task A_days_readings_for_100000_enterprises_are_applied_once_and_the_province_index_is_pushed()
    {
        var province = app.Silo.Services.GetService(typeof(EpiGrid.Geography.Province)) as EpiGrid.Geography.Province;
        var counties = province!.Counties.Select(c => c.Code).ToList();
        string CountyOf(int i) => counties[i % counties.Count];
        await RegisterOverHttp(Enumerable.Range(0, Enterprises)
            .Select(i => new Enterprise($"e{i:D6}", CountyOf(i), null, $"Enterprise {i}", "manufacturing", 1000)).ToList());

        await using var officials = new HubConnectionBuilder()
            .WithUrl(new Uri(app.BaseAddress, "/hubs/grid"), o => o.AccessTokenProvider = () => Task.FromResult<string?>(app.Token(Roles.ProvinceOfficial)))
            .Build();
        var pushed = new ConcurrentQueue<JsonObject>();
        officials.On<JsonObject>("resumptionChanged", pushed.Enqueue);
        await officials.StartAsync();

        // Every 4th enterprise idle, the rest at 60% of baseline; three malformed rows at the end.
        var csv = new StringBuilder("enterpriseId,day,kwh\n");
        for (var i = 0; i < Enterprises; i++) csv.Append($"e{i:D6},{Day},{(i % 4 == 0 ? 0 : 600)}\n");
        csv.Append($"e000001,{Day},oops\nunknown-1,{Day},5\ne000002,2020-13-01,5\n");
        var body = Encoding.UTF8.GetBytes(csv.ToString());

        using var ingest = new HttpClient { BaseAddress = app.BaseAddress, Timeout = TimeSpan.FromMinutes(5) };
        ingest.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", app.Token(Roles.Ingest));
        var (first, firstTime) = await Upload(ingest, body);
        var (again, againTime) = await Upload(ingest, body);
        Console.WriteLine($"Readings: 100,000 rows ({body.Length / 1024} KiB CSV): first upload {firstTime.TotalSeconds:0.00} s ({Enterprises / firstTime.TotalSeconds:0} rows/s), " +
                         $"re-upload {againTime.TotalSeconds:0.00} s ({Enterprises / againTime.TotalSeconds:0} rows/s)");

        first.Int("applied").ShouldBe(Enterprises);
        first["errors"]!.AsArray().Select(e => e!["line"]!.GetValue<int>()).ShouldBe([Enterprises + 2, Enterprises + 3, Enterprises + 4]);
        again.Int("applied").ShouldBe(0);
        again.Int("duplicates").ShouldBe(Enterprises);

        var expectedIndex = Math.Round(100 * (0.75 + 0.45) / 2, 2);
        await Eventually.True(() => Task.FromResult(pushed.Any(p => p["scope"]!.GetValue<string>() == "province"
            && p["figures"]!["enterprises"]!.GetValue<int>() == Enterprises)), TimeSpan.FromSeconds(10));
        var latest = pushed.Last(p => p["scope"]!.GetValue<string>() == "province")["figures"]!;
        latest["index"]!.GetValue<double>().ShouldBe(expectedIndex);
        latest["resumed"]!.GetValue<int>().ShouldBe(Enterprises * 3 / 4);
    }

    async Task<(JsonObject Result, TimeSpan Took)> Upload(HttpClient client, byte[] body)
    {
        var started = Stopwatch.StartNew();
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        var response = await client.PostAsync("/api/v1/enterprises/readings", content);
        response.EnsureSuccessStatusCode();
        return (await response.Body(), started.Elapsed);
    }

    /// <summary>Through the bulk registration endpoint, as the utility would.</summary>
    async Task RegisterOverHttp(IReadOnlyList<Enterprise> enterprises)
    {
        using var ingest = new HttpClient { BaseAddress = app.BaseAddress, Timeout = TimeSpan.FromMinutes(5) };
        ingest.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", app.Token(Roles.Ingest));
        var started = Stopwatch.StartNew();
        var response = await ingest.PostAsJsonAsync("/api/v1/enterprises", enterprises.Select(e =>
            new { id = e.Id, county = e.County, name = e.Name, industry = e.Industry, baselineKwhPerDay = e.BaselineKwhPerDay }));
        response.EnsureSuccessStatusCode();
        var body = await response.Body();
        body.Int("created").ShouldBe(enterprises.Count);
        body["errors"]!.AsArray().ShouldBeEmpty();
        output.WriteLine($"Registered {enterprises.Count} enterprises in {started.Elapsed.TotalSeconds:0.00} s (POST /api/v1/enterprises)");
    }
}
