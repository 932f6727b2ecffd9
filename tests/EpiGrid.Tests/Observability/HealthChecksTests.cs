using System.Net;
using System.Text.Json.Nodes;
using EpiGrid.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace EpiGrid.Tests.Observability;

/// <summary>The platform with the Redis backplane that test.sh starts, and a silo serving its health endpoint.</summary>
public sealed class HealthApp : EpiGridApp
{
    public int SiloHealthPort { get; } = FreePort.Next();
    public override string? Redis => System.Environment.GetEnvironmentVariable("EPIGRID_TEST_REDIS")
        ?? throw new InvalidOperationException("EPIGRID_TEST_REDIS is not set: run the tests through ./test.sh");
    public override IDictionary<string, string?> SiloSettings => new Dictionary<string, string?>
    {
        ["Observability:HealthPort"] = SiloHealthPort.ToString(),
    };
}

/// <summary>
/// Liveness and readiness of the web host and the silo on the health-checks framework: every check is named with its
/// status and duration; a store that does not answer makes readiness 503 and is named, without its address or the error.
/// </summary>
public sealed class HealthChecksTests(HealthApp app) : IClassFixture<HealthApp>
{
    [Fact]
    public async Task Web_host_is_ready_when_the_cluster_pushes_and_Redis_answer_without_an_event_store_of_its_own()
    {
        using var anonymous = app.Anonymous();
        var response = await anonymous.GetAsync("/health/ready");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var body = await response.Body();
        body["status"]!.GetValue<string>().ShouldBe("ready");
        // The web host speaks to grains only: it is given no ConnectionStrings:Marten (EpiGridApp) and checks no database.
        Checks(body).ShouldBe([("cluster", "Healthy"), ("pushes", "Healthy"), ("redis", "Healthy")], ignoreOrder: true);
        body["checks"]!.AsArray().ShouldAllBe(c => TimeSpan.Parse(c!["duration"]!.GetValue<string>()) >= TimeSpan.Zero);
    }

    [Fact]
    public async Task Web_host_liveness_asks_no_dependency()
    {
        using var anonymous = app.Anonymous();
        var response = await anonymous.GetAsync("/health/live");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var body = await response.Body();
        body["status"]!.GetValue<string>().ShouldBe("live");
        body["checks"]!.AsArray().ShouldBeEmpty();
    }

    [Fact]
    public async Task Web_host_is_not_ready_and_names_Redis_when_it_does_not_answer()
    {
        const string store = "redis";
        var closed = FreePort.Next();
        var setting = ("ConnectionStrings:Redis", $"127.0.0.1:{closed},connectTimeout=500");
        using var client = app.StartUnreadyWebHost(new Dictionary<string, string?> { [setting.Item1] = setting.Item2 });

        HttpResponseMessage response = null!;
        JsonObject body = null!;
        // Until the new host has reached the cluster, "cluster" and "pushes" fail too; then only the store should.
        await Eventually.True(async () =>
        {
            response = await client.GetAsync("/health/ready");
            body = await response.Body();
            return body["checks"] is not null && Checks(body).Count(c => c.Status == "Unhealthy") == 1;
        }, TimeSpan.FromSeconds(60), "the cluster and the pushes become healthy, the store stays down");

        response.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        response.Headers.RetryAfter.ShouldNotBeNull();
        body["status"]!.GetValue<int>().ShouldBe(503);
        body["detail"]!.GetValue<string>().ShouldBe($"Not ready: {store}.");
        Checks(body).ShouldContain((store, "Unhealthy"));
        Checks(body).Where(c => c.Name != store).ShouldAllBe(c => c.Status == "Healthy");
        var text = await response.Content.ReadAsStringAsync();
        text.ShouldNotContain(closed.ToString(), customMessage: "the store's address stays out of an anonymous answer");
        text.ShouldNotContain("secret");
        text.ShouldNotContain("connect", Case.Insensitive, "the error stays out of an anonymous answer");
        app.Logs.Lines.ShouldContain(line => line.Contains($"Health check {store}") && line.Contains("Unhealthy"), "the reason goes to the log");
    }

    [Fact]
    public async Task Silo_is_live_and_ready_when_it_is_active_and_the_event_store_answers()
    {
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{app.SiloHealthPort}") };

        var live = await http.GetAsync("/health/live");
        live.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await live.Body())["status"]!.GetValue<string>().ShouldBe("live");

        var ready = await http.GetAsync("/health/ready");
        ready.StatusCode.ShouldBe(HttpStatusCode.OK);
        var body = await ready.Body();
        body["status"]!.GetValue<string>().ShouldBe("ready");
        // Localhost clustering: no Redis check on the silo.
        Checks(body).ShouldBe([("silo", "Healthy"), ("postgresql", "Healthy")], ignoreOrder: true);
    }

    [Fact]
    public async Task Silo_in_cluster_mode_checks_Redis_too()
    {
        var healthPort = FreePort.Next();
        await using var db = await TestDatabase.Create();
        await using var silo = await TestSilo.Start(db.ConnectionString, new FakeTimeProvider(DateTimeOffset.UtcNow),
            "health-" + Guid.NewGuid().ToString("N")[..8], new Dictionary<string, string?>
            {
                ["Cluster:Clustering"] = "redis",
                ["Cluster:AdvertisedIp"] = "127.0.0.1",
                ["ConnectionStrings:Redis"] = app.Redis,
                ["Observability:HealthPort"] = healthPort.ToString(),
            });
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{healthPort}") };

        var ready = await http.GetAsync("/health/ready");

        ready.StatusCode.ShouldBe(HttpStatusCode.OK);
        Checks(await ready.Body()).ShouldBe([("silo", "Healthy"), ("postgresql", "Healthy"), ("redis", "Healthy")], ignoreOrder: true);
    }

    static List<(string Name, string Status)> Checks(JsonObject body) =>
        body["checks"]!.AsArray().Select(c => (c!["name"]!.GetValue<string>(), c["status"]!.GetValue<string>())).ToList();
}
