using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using EpiGrid.Tests.Infrastructure;

namespace EpiGrid.Tests.Resumption;

/// <summary>The platform with lagging counties looked for every second.</summary>
public class ResumptionApp : EpiGridApp
{
    public override IDictionary<string, string?> SiloSettings => new Dictionary<string, string?>
    {
        ["Resumption:LagCheckInterval"] = "00:00:01",
        ["Resumption:LagMargin"] = "10",
        ["Resumption:LagDays"] = "3",
    };

    public async Task RegisterEnterprise(string id, string county, double baseline = 100, string? cellId = null, string industry = "textiles")
    {
        using var ingest = As("ingest");
        var response = await ingest.PutAsJsonAsync($"/api/v1/enterprises/{id}",
            new { county, cellId, name = "Enterprise " + id, industry, baselineKwhPerDay = baseline });
        response.EnsureSuccessStatusCode();
    }

    public static StringContent Csv(string text) => new(text, Encoding.UTF8, "text/csv");

    public async Task<JsonObject> Upload(HttpClient client, HttpContent body)
    {
        var response = await client.PostAsync("/api/v1/enterprises/readings", body);
        response.EnsureSuccessStatusCode();
        return await response.Body();
    }
}
