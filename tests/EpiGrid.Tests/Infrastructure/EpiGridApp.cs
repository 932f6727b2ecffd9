using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using EpiGrid.Domain;
using EpiGrid.WebHost.Auth;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace EpiGrid.Tests.Infrastructure;

/// <summary>
/// The platform in this process: a real silo on a fresh PostgreSQL database and the real web host, talking over
/// Orleans' gateway. Both share one fake domain clock, starting on 20 February 2020, 10:00 in Zhejiang.
/// </summary>
public class EpiGridApp : IAsyncLifetime
{
    public static readonly DateTimeOffset Start = new(2020, 2, 20, 10, 0, 0, TimeSpan.FromHours(8));
    readonly string signingKey = Convert.ToBase64String(Guid.NewGuid().ToByteArray().Concat(Guid.NewGuid().ToByteArray()).ToArray());
    WebApplicationFactory<Program> web = null!;

    public FakeTimeProvider Clock { get; } = new(Start);
    public TestDatabase Database { get; private set; } = null!;
    public TestSilo Silo { get; private set; } = null!;
    public virtual IDictionary<string, string?> SiloSettings => new Dictionary<string, string?>();
    public virtual string Environment => "Development";

    public async Task InitializeAsync()
    {
        Database = await TestDatabase.Create();
        var clusterId = "app-" + Guid.NewGuid().ToString("N")[..8];
        Silo = await TestSilo.Start(Database.ConnectionString, Clock, clusterId, SiloSettings);
        web = new WebApplicationFactory<Program>().WithWebHostBuilder(host =>
        {
            host.UseEnvironment(Environment);
            host.UseSetting("Cluster:ClusterId", clusterId);
            host.UseSetting("Cluster:GatewayPort", Silo.GatewayPort.ToString());
            host.UseSetting("Auth:SigningKey", signingKey);
            host.UseSetting("ConnectionStrings:Marten", Database.ConnectionString);
            host.ConfigureTestServices(services => services.AddKeyedSingleton<TimeProvider>(Clocks.Domain, Clock));
        });
        using var client = web.CreateClient();
        await Eventually.True(async () => (await client.GetAsync("/health/ready")).IsSuccessStatusCode, TimeSpan.FromSeconds(30));
    }

    public HttpClient Anonymous() => web.CreateClient();

    /// <summary>A client with a token for a role; grid workers name their cells, county officials their county.</summary>
    public HttpClient As(string role, string? county = null, params string[] cells)
    {
        var client = web.CreateClient();
        var token = new TokenIssuer(new AuthOptions { SigningKey = signingKey }).Issue($"test-{role}", role, county, cells);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.Token);
        return client;
    }

    public HttpClient Admin() => As(Roles.Admin);

    public async Task RegisterCell(string cellId, string name = "Test cell", int households = 300)
    {
        using var admin = Admin();
        var response = await admin.PutAsJsonAsync($"/api/v1/cells/{cellId}", new { name, households });
        response.EnsureSuccessStatusCode();
    }

    public async Task<HttpResponseMessage> ReportCase(HttpClient client, string cellId, string caseId, string kind = "confirmed",
        bool local = true, string? clusterId = null, DateTimeOffset? occurredAt = null) =>
        await client.PostAsJsonAsync($"/api/v1/cells/{cellId}/cases",
            new { caseId, kind, local, clusterId, occurredAt = (occurredAt ?? Clock.GetUtcNow()).ToString("O") });

    public async Task<JsonObject> County(string code)
    {
        using var client = Admin();
        return (await client.GetFromJsonAsync<JsonObject>($"/api/v1/counties/{code}"))!;
    }

    public async Task DisposeAsync()
    {
        await web.DisposeAsync();
        await Silo.DisposeAsync();
        await Database.DisposeAsync();
    }
}

public static class Json
{
    public static async Task<JsonObject> Body(this HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();

    public static string ColourUnder(this JsonObject county, string ruleSet) => county["colours"]![ruleSet]!["colour"]!.GetValue<string>();
    public static string LevelUnder(this JsonObject county, string ruleSet) => county["colours"]![ruleSet]!["level"]!.GetValue<string>();
    public static int Int(this JsonObject o, string name) => o[name]!.GetValue<int>();
}
