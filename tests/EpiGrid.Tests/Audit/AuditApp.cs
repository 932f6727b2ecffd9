using System.Net.Http.Json;
using System.Text.Json.Nodes;
using EpiGrid.Grains.Audit;
using EpiGrid.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace EpiGrid.Tests.Audit;

/// <summary>The platform with digests taken on demand (the periodic ones wait an hour), and helpers for history.</summary>
public class AuditApp : EpiGridApp
{
    /// <summary>Audit fixtures run one after another: each starts a whole platform, and PostgreSQL has a connection limit.</summary>
    public const string Collection = "audit";

    public override IDictionary<string, string?> SiloSettings => new Dictionary<string, string?>
    {
        ["Audit:DigestInterval"] = "01:00:00",
        ["Audit:DigestLag"] = "00:00:00",
    };

    public Task<long?> TakeDigest() => Silo.Services.GetRequiredService<ChainDigests>().TakeDigest();

    public HttpClient Auditor() => As("auditor");

    public async Task<JsonObject> Get(string path, HttpClient? client = null)
    {
        using var auditor = Auditor();
        var response = await (client ?? auditor).GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        response.IsSuccessStatusCode.ShouldBeTrue($"GET {path}: {(int)response.StatusCode} {body}");
        return JsonNode.Parse(body)!.AsObject();
    }

    /// <summary>Advances the domain clock to a local time in Zhejiang.</summary>
    public void AdvanceTo(DateTimeOffset time)
    {
        var by = time - Clock.GetUtcNow();
        if (by > TimeSpan.Zero) Clock.Advance(by);
    }

    public async Task Report(string cellId, string caseId, DateTimeOffset? occurredAt = null, string? clusterId = null)
    {
        using var ingest = As("ingest");
        var response = await ReportCase(ingest, cellId, caseId, clusterId: clusterId, occurredAt: occurredAt);
        response.IsSuccessStatusCode.ShouldBeTrue(await response.Content.ReadAsStringAsync());
    }

    public async Task ChangeStatus(string cellId, string caseId, string status)
    {
        using var ingest = As("ingest");
        var response = await ingest.PostAsJsonAsync($"/api/v1/cells/{cellId}/cases/{caseId}/status",
            new { status, occurredAt = Clock.GetUtcNow().ToString("O") });
        response.IsSuccessStatusCode.ShouldBeTrue(await response.Content.ReadAsStringAsync());
    }

    public static string Q(DateTimeOffset time) => Uri.EscapeDataString(time.ToString("O"));
}
