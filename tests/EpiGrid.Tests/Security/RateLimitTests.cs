using System.Net;
using System.Net.Http.Headers;
using EpiGrid.Tests.Infrastructure;
using EpiGrid.WebHost.Auth;
using Xunit.Abstractions;

namespace EpiGrid.Tests.Security;

/// <summary>Limits small enough to reach in a test; the defaults (RateLimitOptions) are far above what a person does.</summary>
public sealed class RateLimitedApp : EpiGridApp
{
    public const int HumanBurst = 30, AnonymousBurst = 20;

    public override IDictionary<string, string?> WebSettings => new Dictionary<string, string?>
    {
        ["RateLimits:Human:Burst"] = HumanBurst.ToString(),
        ["RateLimits:Human:PerSecond"] = "1",
        ["RateLimits:Anonymous:Burst"] = AnonymousBurst.ToString(),
        ["RateLimits:Anonymous:PerSecond"] = "1",
    };
}

public sealed class RateLimitTests(RateLimitedApp app, ITestOutputHelper output) : IClassFixture<RateLimitedApp>
{
    const string County = "330106";

    HttpClient Holding(string subject, string role, string? county = null)
    {
        var client = app.Anonymous();
        var token = new TokenIssuer(new AuthOptions { SigningKey = app.SigningKey }).Issue(subject, role, county).Token;
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    [Fact]
    public async Task A_burst_from_one_token_is_answered_429_with_retry_after_while_another_user_is_served()
    {
        using var noisy = Holding("burst-official", Roles.CountyOfficial, County);
        using var other = Holding("calm-official", Roles.CountyOfficial, County);

        var burst = Enumerable.Range(0, RateLimitedApp.HumanBurst * 4).Select(_ => noisy.GetAsync("/api/v1/counties")).ToList();
        var calm = Enumerable.Range(0, RateLimitedApp.HumanBurst / 2).Select(_ => other.GetAsync("/api/v1/counties")).ToList();
        var noisyAnswers = await Task.WhenAll(burst);
        var calmAnswers = await Task.WhenAll(calm);

        var refused = noisyAnswers.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        output.WriteLine($"burst: {noisyAnswers.Count(r => r.IsSuccessStatusCode)} served, {refused.Count} refused; other user: "
            + string.Join(", ", calmAnswers.GroupBy(r => (int)r.StatusCode).Select(g => $"{g.Key} × {g.Count()}")));
        noisyAnswers.Count(r => r.IsSuccessStatusCode).ShouldBeLessThanOrEqualTo(RateLimitedApp.HumanBurst + 2);
        refused.Count.ShouldBeGreaterThanOrEqualTo(RateLimitedApp.HumanBurst * 4 - RateLimitedApp.HumanBurst - 2);
        noisyAnswers.ShouldAllBe(r => r.IsSuccessStatusCode || r.StatusCode == HttpStatusCode.TooManyRequests);
        calmAnswers.ShouldAllBe(r => r.StatusCode == HttpStatusCode.OK);

        var one = refused[0];
        one.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        one.Headers.RetryAfter!.Delta!.Value.ShouldBeGreaterThanOrEqualTo(TimeSpan.FromSeconds(1));
        var problem = await one.Body();
        problem["status"]!.GetValue<int>().ShouldBe(429);
        problem["detail"]!.GetValue<string>().ShouldContain("RateLimits");
    }

    [Fact]
    public async Task A_source_system_token_is_not_held_to_a_persons_limit()
    {
        using var ingest = Holding("burst-ingest", Roles.Ingest);
        var answers = await Task.WhenAll(Enumerable.Range(0, RateLimitedApp.HumanBurst * 4).Select(_ => ingest.GetAsync("/api/v1/counties")));
        answers.ShouldAllBe(r => r.StatusCode == HttpStatusCode.OK);
    }

    [Fact]
    public async Task Anonymous_callers_are_limited_per_address_and_health_probes_are_not_limited()
    {
        using var anonymous = app.Anonymous();
        var answers = await Task.WhenAll(Enumerable.Range(0, RateLimitedApp.AnonymousBurst * 3).Select(_ => anonymous.GetAsync("/api/v1/public/map")));
        answers.Count(r => r.StatusCode == HttpStatusCode.TooManyRequests).ShouldBeGreaterThan(0);
        answers.ShouldAllBe(r => r.StatusCode == HttpStatusCode.OK || r.StatusCode == HttpStatusCode.TooManyRequests);
        var refused = answers.First(r => r.StatusCode == HttpStatusCode.TooManyRequests);
        refused.Headers.RetryAfter.ShouldNotBeNull();
        refused.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");

        var probes = await Task.WhenAll(Enumerable.Range(0, RateLimitedApp.AnonymousBurst * 3).Select(_ => anonymous.GetAsync("/health/live")));
        probes.ShouldAllBe(r => r.StatusCode != HttpStatusCode.TooManyRequests);
    }
}
