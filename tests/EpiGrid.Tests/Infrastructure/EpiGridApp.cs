using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using EpiGrid.Platform;
using EpiGrid.WebHost.Auth;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace EpiGrid.Tests.Infrastructure;

/// <summary>
/// The platform in this process: a real silo on a fresh PostgreSQL database and the real web host, talking over
/// Orleans' gateway. Both share one fake domain clock, starting on 20 February 2020, 10:00 in Zhejiang.
/// </summary>
public class EpiGridApp : IAsyncLifetime
{
    public static readonly DateTimeOffset Start = new(2020, 2, 20, 10, 0, 0, TimeSpan.FromHours(8));
    /// <summary>The key of the keyed identity hashes, as a deployment configures it.</summary>
    public string HashKey { get; } = Convert.ToBase64String(Guid.NewGuid().ToByteArray().Concat(Guid.NewGuid().ToByteArray()).ToArray());
    public string SigningKey { get; } = Convert.ToBase64String(Guid.NewGuid().ToByteArray().Concat(Guid.NewGuid().ToByteArray()).ToArray());
    WebApplicationFactory<Program> web = null!;

    public FakeTimeProvider Clock { get; }

    /// <summary>Where the domain clock starts: <see cref="Start"/> unless a fixture needs another day.</summary>
    protected virtual DateTimeOffset ClockStart => Start;

    public EpiGridApp() => Clock = new FakeTimeProvider(ClockStart);
    /// <summary>Every log line of the silo and the web hosts.</summary>
    public LogCapture Logs { get; } = new();
    public TestDatabase Database { get; private set; } = null!;
    public TestSilo Silo { get; private set; } = null!;
    public virtual IDictionary<string, string?> SiloSettings => new Dictionary<string, string?>();
    /// <summary>Wraps the silo's services after they are registered (every silo this app starts): for faults at a true edge.</summary>
    protected virtual void DecorateSilo(IServiceCollection services) { }
    /// <summary>Configuration of the web hosts, on top of what every test app sets (e.g. tighter rate limits); the Development profile also gets <see cref="SigningKey"/>.</summary>
    public virtual IDictionary<string, string?> WebSettings => new Dictionary<string, string?>();
    /// <summary>The first web host's services: its endpoints, options and the like.</summary>
    public IServiceProvider WebServices => web.Services;
    public virtual string Environment => "Development";

    /// <summary>Serve on a real loopback port (Kestrel) instead of the in-memory test server: SignalR clients need it.</summary>
    public virtual bool RealServer => false;
    /// <summary>Redis for the SignalR backplane (EPIGRID_TEST_REDIS), or none.</summary>
    public virtual string? Redis => null;
    public Uri BaseAddress { get; private set; } = null!;
    readonly List<WebApplicationFactory<Program>> extraHosts = [];
    string clusterId = "";

    public virtual async Task InitializeAsync()
    {
        Database = await TestDatabase.Create();
        clusterId = "app-" + Guid.NewGuid().ToString("N")[..8];
        Silo = await TestSilo.Start(Database.AppConnectionString, Clock, clusterId, PlatformSiloSettings(), logs: Logs, decorate: DecorateSilo);
        (web, BaseAddress) = await StartWebHost();
    }

    /// <summary>The fixture's silo settings, and the migration role the silo changes the schema with at start.</summary>
    IDictionary<string, string?> PlatformSiloSettings() => new Dictionary<string, string?>(SiloSettings)
    {
        ["ConnectionStrings:MartenMigration"] = Database.MigrationConnectionString,
    };

    /// <summary>
    /// Stops the silo and starts a new one on the same ports and database: every grain starts again from the
    /// store, as after a restart of the platform. The web hosts reconnect to it.
    /// </summary>
    public async Task RestartSilo()
    {
        var (siloPort, gatewayPort) = (Silo.SiloPort, Silo.GatewayPort);
        await Silo.DisposeAsync();
        Silo = await TestSilo.Start(Database.AppConnectionString, Clock, clusterId, PlatformSiloSettings(), siloPort: siloPort, gatewayPort: gatewayPort, logs: Logs, decorate: DecorateSilo);
        using var client = web.CreateClient();
        await Eventually.True(async () => (await client.GetAsync("/health/ready")).IsSuccessStatusCode, TimeSpan.FromSeconds(60));
    }

    /// <summary>Another web host on the same silo (and the same Redis backplane, if any): for multi-host tests.</summary>
    public async Task<Uri> StartAnotherWebHost()
    {
        var (factory, address) = await StartWebHost();
        extraHosts.Add(factory);
        return address;
    }

    /// <summary>
    /// Another web host on the same silo with settings of its own on top of the app's, not waited for: for readiness
    /// tests (e.g. a store at an address where nothing listens). Disposed with the app.
    /// </summary>
    public HttpClient StartUnreadyWebHost(IDictionary<string, string?> settings)
    {
        var (factory, _) = CreateWebHost(settings);
        extraHosts.Add(factory);
        return factory.CreateClient();
    }

    async Task<(WebApplicationFactory<Program>, Uri)> StartWebHost()
    {
        var (factory, address) = CreateWebHost(new Dictionary<string, string?>());
        using var client = factory.CreateClient();
        await Eventually.True(async () => (await client.GetAsync("/health/ready")).IsSuccessStatusCode, TimeSpan.FromSeconds(30));
        return (factory, address);
    }

    (WebApplicationFactory<Program>, Uri) CreateWebHost(IDictionary<string, string?> settings)
    {
        var address = RealServer ? new Uri($"http://127.0.0.1:{FreePort.Next()}") : new Uri("http://localhost");
        var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(host =>
        {
            host.UseEnvironment(Environment);
            host.UseSetting("urls", address.ToString());
            host.UseSetting("Cluster:ClusterId", clusterId);
            host.UseSetting("Cluster:GatewayPort", Silo.GatewayPort.ToString());
            if (Environment == "Development") host.UseSetting("Auth:SigningKey", SigningKey);
            host.UseSetting("PersonalData:HashKey", HashKey);
            // As for the test silos (TestSilo): every host of the run shares this process and its meters' names.
            host.UseSetting("Observability:MetricCardinalityLimit", "64");
            if (Redis is not null) host.UseSetting("ConnectionStrings:Redis", Redis);
            foreach (var (key, value) in WebSettings.Concat(settings)) host.UseSetting(key, value);
            host.ConfigureTestServices(services =>
            {
                services.AddKeyedSingleton<TimeProvider>(Clocks.Domain, Clock);
                ConfigureWebServices(services);
            });
            host.ConfigureLogging(logging => logging.AddProvider(Logs));
        });
        if (RealServer)
        {
            factory.UseKestrel();
            factory.StartServer();
        }
        return (factory, address);
    }

    /// <summary>A test's doubles at the web host's edges (e.g. a slow SignalR backplane), on every web host it starts.</summary>
    protected virtual void ConfigureWebServices(IServiceCollection services) { }

    public virtual string Token(string role, string? county = null, params string[] cells) =>
        new TokenIssuer(new AuthOptions { SigningKey = SigningKey }).Issue($"test-{role}", role, county, cells).Token;

    public HttpClient Anonymous() => web.CreateClient();

    /// <summary>A client with a token for a role; grid workers name their cells, county officials their county.</summary>
    public HttpClient As(string role, string? county = null, params string[] cells)
    {
        var client = web.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token(role, county, cells));
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

    public virtual async Task DisposeAsync()
    {
        foreach (var host in extraHosts) await host.DisposeAsync();
        await web.DisposeAsync();
        await Silo.DisposeAsync();
        await Database.DisposeAsync();
        // Something outliving the fixture may still hold it (a thread started in the web host's start-up keeps that
        // moment's execution context, and with it the host factory's closure over this app): let go of the hosts.
        extraHosts.Clear();
        web = null!;
        Silo = null!;
        Logs.Lines.Clear();
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
