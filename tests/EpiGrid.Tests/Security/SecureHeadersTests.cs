using System.Net;
using EpiGrid.Tests.Infrastructure;
using EpiGrid.WebHost.Http;

namespace EpiGrid.Tests.Security;

/// <summary>The web host behind a TLS-terminating proxy on loopback: forwarded headers believed from it, HSTS on.</summary>
public sealed class ProxiedApp : EpiGridApp
{
    public override bool RealServer => true;
    public override IDictionary<string, string?> WebSettings => new Dictionary<string, string?>
    {
        ["Transport:KnownProxies"] = "127.0.0.1",
        ["Transport:Hsts"] = "true",
        ["Transport:HstsMaxAge"] = "180.00:00:00",
    };
}

public sealed class SecureHeadersTests(ProxiedApp app) : IClassFixture<ProxiedApp>
{
    static void HasSecureHeaders(HttpResponseMessage response, string path)
    {
        string Header(string name) => response.Headers.TryGetValues(name, out var v) ? string.Join(",", v)
            : response.Content.Headers.TryGetValues(name, out var c) ? string.Join(",", c) : "";
        Header("X-Content-Type-Options").ShouldBe("nosniff", path);
        Header("Referrer-Policy").ShouldBe("no-referrer", path);
        Header("X-Frame-Options").ShouldBe("DENY", path);
        Header("Content-Security-Policy").ShouldContain("frame-ancestors 'none'", Case.Sensitive, path);
        Header("Content-Security-Policy").ShouldContain("object-src 'none'", Case.Sensitive, path);
    }

    [Theory]
    [InlineData("/", "text/html")]
    [InlineData("/js/app.js", "text/javascript")]
    [InlineData("/api/v1/counties", "application/json")]
    [InlineData("/api/v1/cells/330782-001-001", "application/problem+json")]
    [InlineData("/health/live", null)]
    public async Task Every_answer_carries_the_secure_headers_and_the_app_gets_a_policy_without_inline_code(string path, string? mediaType)
    {
        using var client = path.StartsWith("/api") ? app.As("grid-worker", cells: "330782-001-002") : app.Anonymous();
        var response = await client.GetAsync(path);
        if (mediaType is not null) response.Content.Headers.ContentType?.MediaType.ShouldBe(mediaType, path);
        HasSecureHeaders(response, path);
        var policy = response.Headers.GetValues("Content-Security-Policy").Single();
        policy.ShouldBe(SecureHeaders.AppPolicy);
        policy.ShouldNotContain("unsafe");
        response.Headers.Contains("Strict-Transport-Security").ShouldBeFalse("plain HTTP, not forwarded as HTTPS: no HSTS");
    }

    [Fact]
    public void With_a_sign_in_provider_the_app_policy_lets_the_browser_reach_its_origin_and_nothing_more()
    {
        var policy = SecureHeaders.AppPolicyFor("https://login.example.org:8443/realms/epigrid");
        policy.ShouldBe(SecureHeaders.AppPolicy.Replace("connect-src 'self';", "connect-src 'self' https://login.example.org:8443;"));
        policy.ShouldNotContain("frame-src");
        policy.ShouldNotContain("/realms");
        SecureHeaders.AppPolicyFor(null).ShouldBe(SecureHeaders.AppPolicy);
    }

    [Fact]
    public async Task The_api_reference_gets_its_own_policy_and_still_no_framing()
    {
        using var client = app.Anonymous();
        var response = await client.GetAsync("/scalar/");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        HasSecureHeaders(response, "/scalar/");
        response.Headers.GetValues("Content-Security-Policy").Single().ShouldBe(SecureHeaders.ToolPolicy);
    }

    [Fact]
    public async Task Behind_the_known_proxy_a_request_that_arrived_over_https_gets_hsts()
    {
        using var client = app.Anonymous();
        var request = new HttpRequestMessage(HttpMethod.Get, "/health/live") { Headers = { { "X-Forwarded-Proto", "https" }, { "X-Forwarded-For", "203.0.113.7" } } };
        var response = await client.SendAsync(request);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Headers.GetValues("Strict-Transport-Security").Single().ShouldBe("max-age=15552000; includeSubDomains");
    }
}

/// <summary>HSTS on, but the only proxy believed is elsewhere: what a client itself claims in forwarded headers is ignored.</summary>
public sealed class UntrustedProxyApp : EpiGridApp
{
    public override bool RealServer => true;
    public override IDictionary<string, string?> WebSettings => new Dictionary<string, string?>
    {
        ["Transport:KnownProxies"] = "10.9.9.9",
        ["Transport:Hsts"] = "true",
    };
}

public sealed class UntrustedForwardedHeadersTests(UntrustedProxyApp app) : IClassFixture<UntrustedProxyApp>
{
    [Fact]
    public async Task Forwarded_headers_from_a_sender_that_is_not_a_known_proxy_are_ignored()
    {
        using var client = app.Anonymous();
        var request = new HttpRequestMessage(HttpMethod.Get, "/health/live") { Headers = { { "X-Forwarded-Proto", "https" } } };
        var response = await client.SendAsync(request);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Headers.Contains("Strict-Transport-Security").ShouldBeFalse("the request came over plain HTTP from 127.0.0.1");
        response.Headers.GetValues("X-Content-Type-Options").Single().ShouldBe("nosniff");
    }
}
