using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using EpiGrid.Tests.Infrastructure;
using EpiGrid.WebHost.Auth;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.IdentityModel.Tokens;

namespace EpiGrid.Tests.Security;

/// <summary>
/// The production profile trusts one OpenID Connect issuer: a real one on a loopback port (discovery document,
/// JWKS, RSA keys that rotate), with the web host started in Production pointed at it.
/// </summary>
public sealed class TokenTests(ProductionApp app) : IClassFixture<ProductionApp>
{
    const string County = "330782";

    async Task<HttpStatusCode> Read(string token)
    {
        using var client = app.Anonymous();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return (await client.GetAsync($"/api/v1/counties/{County}")).StatusCode;
    }

    [Fact]
    public async Task A_token_of_the_configured_issuer_is_accepted()
    {
        (await Read(app.Issuer.Issue(Roles.ProvinceOfficial))).ShouldBe(HttpStatusCode.OK);
        (await Read(app.Issuer.Issue(Roles.CountyOfficial, County))).ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Tokens_for_another_audience_from_another_issuer_expired_unsigned_or_signed_with_a_key_not_published_are_refused()
    {
        var bad = new Dictionary<string, string>
        {
            ["wrong audience"] = app.Issuer.Issue(Roles.Admin, audience: "another-service"),
            ["wrong issuer"] = app.Issuer.Issue(Roles.Admin, issuer: "https://issuer.example.org"),
            ["expired"] = app.Issuer.Issue(Roles.Admin, issuedAt: DateTimeOffset.UtcNow.AddHours(-2), lifetime: TimeSpan.FromHours(1)),
            ["alg=none"] = Unsigned(app.Issuer.Issue(Roles.Admin)),
            ["signature removed"] = string.Join('.', app.Issuer.Issue(Roles.Admin).Split('.')[..2]) + ".",
            ["unpublished RSA key"] = app.Issuer.Issue(Roles.Admin, key: OidcIssuer.NewKey()),
            ["dev key (HS256)"] = new TokenIssuer(new AuthOptions { SigningKey = app.SigningKey, Issuer = app.Issuer.Issuer, Audience = OidcIssuer.Audience })
                .Issue("mallory", Roles.Admin).Token,
        };
        foreach (var (what, token) in bad)
            (await Read(token)).ShouldBe(HttpStatusCode.Unauthorized, what);
        (await Read(app.Issuer.Issue(Roles.Admin))).ShouldBe(HttpStatusCode.OK, "the same request with a good token");
    }

    [Fact]
    public async Task After_the_issuer_rotates_its_key_tokens_signed_with_the_new_key_are_accepted_and_the_old_key_is_retired()
    {
        (await Read(app.Issuer.Issue(Roles.Auditor))).ShouldBe(HttpStatusCode.OK);
        var old = app.Issuer.CurrentKey;
        var fetches = app.Issuer.KeyFetches;

        app.Issuer.Rotate();
        var fresh = app.Issuer.Issue(Roles.Auditor);
        // The host learns the new key when a token names it (the JWKS is fetched again, at most once a second here).
        await Eventually.True(async () => await Read(fresh) == HttpStatusCode.OK, TimeSpan.FromSeconds(15), "a token signed with the new key");
        app.Issuer.KeyFetches.ShouldBeGreaterThan(fetches);
        await Eventually.True(async () => await Read(app.Issuer.Issue(Roles.Auditor, key: old)) == HttpStatusCode.Unauthorized,
            TimeSpan.FromSeconds(15), "the retired key no longer signs");
    }

    [Fact]
    public async Task The_dev_token_endpoint_does_not_exist()
    {
        using var anonymous = app.Anonymous();
        (await anonymous.PostAsync("/api/v1/dev/tokens", new StringContent("{\"role\":\"admin\"}", Encoding.UTF8, "application/json")))
            .StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_hub_connection_is_closed_when_its_token_expires_and_a_fresh_token_reconnects()
    {
        var token = app.Issuer.Issue(Roles.ProvinceOfficial, lifetime: TimeSpan.FromSeconds(4));
        // The expiry the server sees is the token's own (exp, whole seconds), not the time the test got the token back: on a
        // loaded machine signing can take a second, and the test's clock would then run late.
        var expiresAt = new DateTimeOffset(new Microsoft.IdentityModel.JsonWebTokens.JsonWebToken(token).ValidTo, TimeSpan.Zero);
        await using var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(app.BaseAddress, "/hubs/grid"), o => o.AccessTokenProvider = () => Task.FromResult<string?>(token))
            .Build();
        var closed = new TaskCompletionSource<DateTimeOffset>(TaskCreationOptions.RunContinuationsAsynchronously);
        connection.Closed += _ => { closed.TrySetResult(DateTimeOffset.UtcNow); return Task.CompletedTask; };

        await connection.StartAsync();
        (await connection.InvokeAsync<List<object>>("catchUp", 0L)).ShouldNotBeNull();
        var closedAt = await closed.Task.WaitAsync(TimeSpan.FromSeconds(20));

        closedAt.ShouldBeGreaterThanOrEqualTo(expiresAt.AddSeconds(-1), "not before the token expired");
        closedAt.ShouldBeLessThan(expiresAt.AddSeconds(10), "soon after it expired");
        connection.State.ShouldBe(HubConnectionState.Disconnected);

        token = app.Issuer.Issue(Roles.ProvinceOfficial);
        await connection.StartAsync();
        (await connection.InvokeAsync<List<object>>("catchUp", 0L)).ShouldNotBeNull();
        connection.State.ShouldBe(HubConnectionState.Connected);
    }

    static string Unsigned(string token)
    {
        var payload = token.Split('.')[1];
        return Base64UrlEncoder.Encode("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + payload + ".";
    }
}

/// <summary>The production profile cannot be configured to sign its own tokens: the host refuses to start.</summary>
public sealed class ProductionConfigurationTests
{
    static string StartFailure(string environment, params (string Key, string Value)[] settings)
    {
        using var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(host =>
        {
            host.UseEnvironment(environment);
            foreach (var (key, value) in settings) host.UseSetting(key, value);
        });
        return Should.Throw<Exception>(() => factory.CreateClient()).ToString();
    }

    [Fact]
    public void Without_an_issuer_the_production_host_does_not_start()
    {
        StartFailure("Production").ShouldContain("Auth:Authority is required outside the Development environment");
        StartFailure("Staging", ("Auth:SigningKey", new string('k', 48))).ShouldContain("Auth:Authority is required");
    }

    [Fact]
    public void A_symmetric_dev_key_is_refused_in_production_even_next_to_an_issuer()
    {
        StartFailure("Production", ("Auth:Authority", "https://login.example.org/realms/epigrid"), ("Auth:SigningKey", new string('k', 48)))
            .ShouldContain("Auth:SigningKey is the local profile's development key and is not accepted");
    }

    [Fact]
    public void A_browser_client_needs_an_issuer_that_browsers_can_reach()
    {
        StartFailure("Development", ("Auth:SigningKey", new string('k', 48)), ("Auth:Client:ClientId", "epigrid-web"))
            .ShouldContain("Auth:Client:ClientId names a client at the OpenID Connect issuer: set Auth:Authority too");
        StartFailure("Production", ("Auth:Authority", "https://login.example.org/realms/epigrid"), ("Auth:Client:ClientId", "epigrid-web"),
                ("Auth:Client:Authority", "login.example.org"))
            .ShouldContain("must be an absolute http(s) address that browsers can reach");
    }
}
