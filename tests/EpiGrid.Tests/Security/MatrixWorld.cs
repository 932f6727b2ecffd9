using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using EpiGrid.Tests.Infrastructure;
using EpiGrid.Tests.People;
using EpiGrid.WebHost.Auth;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.Time.Testing;

namespace EpiGrid.Tests.Security;

/// <summary>
/// The platform on a real Kestrel port with one world to call into: a cell, a case's alert, a person and an
/// enterprise inside the callers' jurisdiction (county 330782) and the same outside it (county 330110), and one
/// HTTP client and one hub connection per caller. Built once for all of the matrix.
/// </summary>
public sealed class MatrixWorld : EpiGridApp, IAsyncLifetime
{
    public override bool RealServer => true;
    /// <summary>
    /// Anonymous, forged and expired callers all count against one address (loopback): the matrix sends them to every
    /// endpoint, more than the per-address rate limit allows. Rate limits are tested on their own (RateLimitTests);
    /// so are the caps on heavy reads (HeavyReadCapTests), which four parallel callers of one endpoint would reach.
    /// </summary>
    public override IDictionary<string, string?> WebSettings => new Dictionary<string, string?>
    {
        ["RateLimits:Anonymous:Burst"] = "1000000",
        ["RateLimits:Anonymous:PerSecond"] = "1000000",
        ["RateLimits:Declarations:Burst"] = "1000000",
        ["RateLimits:Declarations:PerSecond"] = "1000000",
        ["HeavyReads:Events:MaxConcurrent"] = "100",
        ["HeavyReads:Export:MaxConcurrent"] = "100",
        ["HeavyReads:Verify:MaxConcurrent"] = "100",
        ["HeavyReads:Replay:MaxConcurrent"] = "100",
    };

    public const string InCounty = "330782", OutCounty = "330110";
    public const string InCell = InCounty + "-601-001", OutCell = OutCounty + "-601-001";
    public const string RuleSet = "zhejiang-5";

    readonly Lazy<Task> arranged;
    readonly ConcurrentDictionary<string, HttpClient> clients = new();
    readonly ConcurrentDictionary<string, Lazy<Task<(HubConnection? Connection, Answer Refusal)>>> hubs = new();
    int next;

    public MatrixWorld() => arranged = new(Arrange);

    public string AlertIn { get; private set; } = "";
    public string AlertOut { get; private set; } = "";
    public string PersonIn { get; private set; } = "";
    public string PersonOut { get; private set; } = "";
    public string EnterpriseIn => "mx-ent-" + InCounty;
    public string EnterpriseOut => "mx-ent-" + OutCounty;

    public static string Cell(Scope s) => s == Scope.Inside ? InCell : OutCell;
    public static string County(Scope s) => s == Scope.Inside ? InCounty : OutCounty;
    public string Alert(Scope s) => s == Scope.Inside ? AlertIn : AlertOut;
    public string Person(Scope s) => s == Scope.Inside ? PersonIn : PersonOut;
    public string Enterprise(Scope s) => s == Scope.Inside ? EnterpriseIn : EnterpriseOut;

    /// <summary>A number no other call has used: fresh case, traveller, enterprise and record ids.</summary>
    public int Next() => Interlocked.Increment(ref next);

    public static string Time(DateTimeOffset at) => at.ToString("O");

    public Task Ready => arranged.Value;

    /// <summary>A grid worker looks after the inside cell; a county official has the inside county.</summary>
    public string? TokenOf(Caller caller) => caller switch
    {
        { Token: TokenKind.None } => null,
        { Token: TokenKind.Forged } => new TokenIssuer(new AuthOptions { SigningKey = Convert.ToBase64String(Guid.NewGuid().ToByteArray().Concat(Guid.NewGuid().ToByteArray()).ToArray()) })
            .Issue("test-admin", caller.Role!).Token,
        { Token: TokenKind.Expired } => new TokenIssuer(new AuthOptions { SigningKey = SigningKey }, new FakeTimeProvider(DateTimeOffset.UtcNow.AddHours(-2)))
            .Issue("test-admin", caller.Role!).Token,
        { Role: Roles.GridWorker } => Token(Roles.GridWorker, cells: InCell),
        { Role: Roles.CountyOfficial } => Token(Roles.CountyOfficial, InCounty),
        { Role: Roles.Checkpoint } => Token(Roles.Checkpoint, InCounty),
        _ => Token(caller.Role!),
    };

    /// <summary>Real HTTP to the Kestrel port; redirects are answers, not followed.</summary>
    public HttpClient Client(Caller caller) => clients.GetOrAdd(caller.Name, _ =>
    {
        var client = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = BaseAddress };
        if (TokenOf(caller) is { } token) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    });

    /// <summary>The caller's connection to a hub, or the answer its connection was refused with.</summary>
    public Task<(HubConnection? Connection, Answer Refusal)> Hub(Caller caller, string path) =>
        hubs.GetOrAdd(caller.Name + " " + path, _ => new(() => Connect(caller, path))).Value;

    async Task<(HubConnection?, Answer)> Connect(Caller caller, string path)
    {
        var token = TokenOf(caller);
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(BaseAddress, path), o => { if (token is not null) o.AccessTokenProvider = () => Task.FromResult<string?>(token); })
            .Build();
        try
        {
            await connection.StartAsync();
            return (connection, Answer.Ok);
        }
        catch (HttpRequestException e) when (e.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            await connection.DisposeAsync();
            return (null, e.StatusCode == HttpStatusCode.Unauthorized ? Answer.Unauthorized : Answer.Forbidden);
        }
    }

    /// <summary>The silo as the dashboard names it (its parsable address), for the dashboard's per-silo endpoints.</summary>
    public string SiloAddress { get; private set; } = "";

    /// <summary>
    /// A URL for one of the Orleans dashboard's route patterns, with values an admin gets an answer for: its
    /// own font and image files, this silo, a grain type of EpiGrid, the first page.
    /// </summary>
    public string DashboardUrl(string pattern) => Regex.Replace(pattern, @"\{\*{0,2}(\w+)[^}]*\}", m => m.Groups[1].Value switch
    {
        "path" when pattern.Contains("/fonts/") => "fa-solid-900.woff2",
        "path" when pattern.Contains("/img/") => "OrleansLogo.png",
        "path" or "address" => Uri.EscapeDataString(SiloAddress),
        "grainName" => "EpiGrid.Grains.CellGrain",
        "page" => "1",
        var other => throw new InvalidOperationException($"No value for {{{other}}} in {pattern}"),
    });

    async Task Arrange()
    {
        var admin = Client(Caller.Roles.Single(c => c.Role == Roles.Admin));
        SiloAddress = (await admin.GetFromJsonAsync<JsonObject>("/api/v1/cluster"))!["silos"]![0]!["address"]!.GetValue<string>();
        var ingest = Client(Caller.Roles.Single(c => c.Role == Roles.Ingest));
        foreach (var cell in new[] { InCell, OutCell })
            (await admin.PutAsJsonAsync($"/api/v1/cells/{cell}", new { name = "Matrix " + cell, households = 300 })).EnsureSuccessStatusCode();

        // A confirmed case in each cell raises an alert for the cell's workers and the county's officials.
        foreach (var cell in new[] { InCell, OutCell })
            await Expect(await ingest.PostAsJsonAsync($"/api/v1/cells/{cell}/cases", new
            {
                caseId = "mx-alert-" + cell, kind = "confirmed", local = true, occurredAt = Time(Start.AddHours(-1)),
            }), HttpStatusCode.Created);
        AlertIn = await AlertOf(admin, InCell);
        AlertOut = await AlertOf(admin, OutCell);

        PersonIn = await Arrival(ingest, InCell, 1);
        PersonOut = await Arrival(ingest, OutCell, 2);

        foreach (var (id, county) in new[] { (EnterpriseIn, InCounty), (EnterpriseOut, OutCounty) })
            (await ingest.PutAsJsonAsync($"/api/v1/enterprises/{id}", Enterprise(county))).EnsureSuccessStatusCode();
    }

    public static object Enterprise(string county) => new { county, name = "Matrix works", industry = "textiles", baselineKwhPerDay = 1000.0 };

    async Task<string> AlertOf(HttpClient admin, string cell)
    {
        string? id = null;
        await Eventually.True(async () =>
        {
            var alerts = (await admin.GetFromJsonAsync<JsonArray>($"/api/v1/alerts?cell={cell}"))!;
            id = alerts.Select(a => a!["id"]!.GetValue<string>()).FirstOrDefault();
            return id is not null;
        }, TimeSpan.FromSeconds(20));
        return id!;
    }

    async Task<string> Arrival(HttpClient ingest, string cell, int n)
    {
        var response = await ingest.PostAsJsonAsync($"/api/v1/cells/{cell}/travellers", new
        {
            idNumber = ResidentIdTests.Make(420106, new DateOnly(1980, 1, 1), n), origin = new { area = "武汉 Wuhan", risk = "high" },
            arrivedAt = Time(Start.AddDays(-2)), mode = "rail", source = "matrix", sourceRecordId = "mx-person-" + n,
        });
        await Expect(response, HttpStatusCode.Created);
        return (await response.Body())["personRef"]!.GetValue<string>();
    }

    static async Task Expect(HttpResponseMessage response, HttpStatusCode status) =>
        response.StatusCode.ShouldBe(status, await response.Content.ReadAsStringAsync());

    public new async Task DisposeAsync()
    {
        foreach (var hub in hubs.Values.Where(h => h.IsValueCreated))
            if ((await hub.Value).Connection is { } connection) await connection.DisposeAsync();
        foreach (var client in clients.Values) client.Dispose();
        await base.DisposeAsync();
    }
}
