using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json.Nodes;
using EpiGrid.WebHost.Auth;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace EpiGrid.Tests.Infrastructure;

/// <summary>
/// A real OpenID Connect provider on a loopback port over HTTP: OpenIddict's server on an in-memory EF Core store, set up
/// as docs/security.md asks of a deployment's provider. The web app is a public client (authorization code flow, PKCE
/// required, refresh tokens, end-session and revocation); access tokens are signed JWTs (not encrypted) for the audience
/// <c>epigrid</c> carrying <c>role</c>, <c>county</c> and <c>cell</c>. Its login page asks only for a user name
/// (<see cref="AddUser"/>). A test's own API calls use service accounts (client credentials, <see cref="ServiceToken"/>).
/// </summary>
public sealed class OpenIddictProvider(TimeSpan accessTokenLifetime) : IAsyncDisposable
{
    public const string WebClientId = "epigrid-web";
    public const string Scope = "openid offline_access";
    public const string ProviderName = "Loopback OpenIddict";
    public sealed record TestUser(string Name, string Role, string? County = null, params string[] Cells);

    readonly ConcurrentDictionary<string, TestUser> users = new(StringComparer.Ordinal);
    readonly ConcurrentDictionary<string, string> serviceRoles = new(StringComparer.Ordinal);
    readonly ConcurrentDictionary<string, byte> browserOrigins = new(StringComparer.Ordinal);
    readonly HttpClient http = new();
    WebApplication? web;
    int codeExchanges, refreshes, endSessions;

    public Uri Authority { get; private set; } = null!;
    /// <summary>Tokens bought with an authorization code: one per sign-in.</summary>
    public int CodeExchanges => codeExchanges;
    /// <summary>Tokens bought with a refresh token: silent renewals.</summary>
    public int Refreshes => refreshes;
    /// <summary>Visits to the end-session endpoint (sign-outs that ended the provider's session).</summary>
    public int EndSessions => endSessions;

    /// <summary>What a web host needs to trust this provider and to sign people in at it.</summary>
    public IDictionary<string, string?> HostSettings => new Dictionary<string, string?>
    {
        ["Auth:Authority"] = Authority.ToString(),
        ["Auth:Audience"] = OidcIssuer.Audience,
        ["Auth:RequireHttpsMetadata"] = "false",
        ["Auth:Client:ClientId"] = WebClientId,
        ["Auth:Client:Scope"] = Scope,
        ["Auth:Client:ProviderName"] = ProviderName,
    };

    public void AddUser(TestUser user) => users[user.Name] = user;

    public async Task Start()
    {
        Authority = new Uri($"http://127.0.0.1:{FreePort.Next()}/");
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(Authority.ToString());
        builder.Logging.ClearProviders();
        var store = "provider-" + Guid.NewGuid().ToString("N");
        builder.Services.AddDbContext<ProviderStore>(o => o.UseInMemoryDatabase(store).UseOpenIddict());
        builder.Services.AddCors();
        builder.Services.AddOpenIddict()
            .AddCore(o => o.UseEntityFrameworkCore().UseDbContext<ProviderStore>())
            .AddServer(o =>
            {
                o.SetIssuer(Authority);
                o.SetAuthorizationEndpointUris("connect/authorize").SetTokenEndpointUris("connect/token")
                    .SetEndSessionEndpointUris("connect/endsession").SetRevocationEndpointUris("connect/revoke");
                o.AllowAuthorizationCodeFlow().AllowRefreshTokenFlow().AllowClientCredentialsFlow();
                o.RequireProofKeyForCodeExchange();
                o.RegisterScopes(Scopes.OpenId, Scopes.OfflineAccess);
                o.SetAccessTokenLifetime(accessTokenLifetime);
                o.AddEphemeralSigningKey().AddEphemeralEncryptionKey();
                o.DisableAccessTokenEncryption(); // the web host reads access tokens as signed JWTs
                o.UseAspNetCore()
                    .EnableAuthorizationEndpointPassthrough().EnableTokenEndpointPassthrough().EnableEndSessionEndpointPassthrough()
                    .DisableTransportSecurityRequirement(); // HTTP on loopback
            });
        web = builder.Build();
        // The browser fetches discovery, keys and the token endpoint from the web app's origin.
        web.UseCors(cors => cors.SetIsOriginAllowed(browserOrigins.ContainsKey).AllowAnyHeader().AllowAnyMethod());
        web.UseAuthentication();
        web.MapMethods("/connect/authorize", ["GET", "POST"], Authorize);
        // Typed as a Func: a method taking only HttpContext and returning a Task would bind as a RequestDelegate, its IResult dropped.
        web.MapPost("/connect/token", (Func<HttpContext, Task<IResult>>)Exchange);
        web.MapMethods("/connect/endsession", ["GET", "POST"], () =>
        {
            Interlocked.Increment(ref endSessions);
            // Back to the client's registered post_logout_redirect_uri, which OpenIddict has checked.
            return Results.SignOut(new AuthenticationProperties { RedirectUri = "/" }, [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
        });
        await web.StartAsync();
    }

    /// <summary>Registers the web app at <paramref name="webApp"/> as a public client, as a deployment's administrator does.</summary>
    public async Task RegisterWebClient(Uri webApp)
    {
        var home = new Uri(webApp, "/");
        browserOrigins[home.GetLeftPart(UriPartial.Authority)] = 0;
        await using var scope = web!.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>().CreateAsync(new OpenIddictApplicationDescriptor
        {
            ClientId = WebClientId,
            ClientType = ClientTypes.Public,
            ApplicationType = ApplicationTypes.Web,
            DisplayName = "EpiGrid web app",
            RedirectUris = { home },
            PostLogoutRedirectUris = { home },
            Permissions =
            {
                Permissions.Endpoints.Authorization, Permissions.Endpoints.Token, Permissions.Endpoints.EndSession, Permissions.Endpoints.Revocation,
                Permissions.GrantTypes.AuthorizationCode, Permissions.GrantTypes.RefreshToken, Permissions.ResponseTypes.Code,
            },
            Requirements = { Requirements.Features.ProofKeyForCodeExchange },
        });
    }

    /// <summary>A token for a service account with <paramref name="role"/> (client credentials), for a test's own API calls.</summary>
    public async Task<string> ServiceToken(string role)
    {
        var clientId = $"service-{role}";
        var secret = "secret-" + clientId;
        if (serviceRoles.TryAdd(clientId, role))
        {
            await using var scope = web!.Services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>().CreateAsync(new OpenIddictApplicationDescriptor
            {
                ClientId = clientId, ClientSecret = secret, ClientType = ClientTypes.Confidential,
                Permissions = { Permissions.Endpoints.Token, Permissions.GrantTypes.ClientCredentials },
            });
        }
        var response = await http.PostAsync(new Uri(Authority, "connect/token"), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = GrantTypes.ClientCredentials, ["client_id"] = clientId, ["client_secret"] = secret,
        }));
        var text = await response.Content.ReadAsStringAsync();
        return response.IsSuccessStatusCode && JsonNode.Parse(text)?["access_token"]?.GetValue<string>() is { } token ? token
            : throw new InvalidOperationException($"no token for {clientId}: {(int)response.StatusCode} {text}");
    }

    /// <summary>Redeems a refresh token as the web app would: the answer's status and body.</summary>
    public async Task<(int Status, JsonObject? Body)> Refresh(string refreshToken)
    {
        var response = await http.PostAsync(new Uri(Authority, "connect/token"), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = GrantTypes.RefreshToken, ["client_id"] = WebClientId, ["refresh_token"] = refreshToken,
        }));
        return ((int)response.StatusCode, await response.Content.ReadFromJsonAsync<JsonObject>());
    }

    /// <summary>The login page until a known user name is posted with the authorization request; then the code.</summary>
    IResult Authorize(HttpContext context)
    {
        var request = context.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("not an authorization request");
        var login = (string?)request["login"];
        if (login is null || !users.TryGetValue(login, out var user))
            return Results.Content(LoginPage(request, unknown: login), "text/html; charset=utf-8");
        return Results.SignIn(Principal(user, request.GetScopes()), authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    async Task<IResult> Exchange(HttpContext context)
    {
        var request = context.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("not a token request");
        if (request.IsClientCredentialsGrantType())
        {
            var identity = new ClaimsIdentity(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme, Claims.Name, Claims.Role);
            identity.SetClaim(Claims.Subject, request.ClientId).SetClaim(Claims.Role, serviceRoles[request.ClientId!]);
            identity.SetAudiences(OidcIssuer.Audience);
            identity.SetDestinations(_ => [Destinations.AccessToken]);
            identity.SetAccessTokenLifetime(TimeSpan.FromHours(1));
            return Results.SignIn(new ClaimsPrincipal(identity), authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        }
        // A code or a refresh token that OpenIddict has validated (PKCE, client, redirect, not revoked): the user's claims
        // are read again, as a provider does, so a changed jurisdiction shows in the next token.
        var redeemed = (await context.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme)).Principal!;
        var user = users.Values.Single(u => u.Name == redeemed.GetClaim(Claims.Name));
        Interlocked.Increment(ref request.IsRefreshTokenGrantType() ? ref refreshes : ref codeExchanges);
        return Results.SignIn(Principal(user, redeemed.GetScopes()), authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    /// <summary>The claims docs/security.md asks for, under exactly its names, in the access token.</summary>
    static ClaimsPrincipal Principal(TestUser user, IEnumerable<string> scopes)
    {
        var identity = new ClaimsIdentity(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme, Claims.Name, Claims.Role);
        identity.SetClaim(Claims.Subject, $"oidc-{user.Name}").SetClaim(Claims.Name, user.Name).SetClaim(ClaimNames.Role, user.Role);
        if (user.County is not null) identity.SetClaim(ClaimNames.County, user.County);
        foreach (var cell in user.Cells) identity.AddClaim(new Claim(ClaimNames.Cell, cell));
        identity.SetScopes(scopes);
        identity.SetAudiences(OidcIssuer.Audience);
        identity.SetDestinations(claim => claim.Type == Claims.Name ? [Destinations.IdentityToken] : [Destinations.AccessToken]);
        return new ClaimsPrincipal(identity);
    }

    static string LoginPage(OpenIddictRequest request, string? unknown)
    {
        var html = new StringBuilder("""
            <!doctype html><html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Loopback provider</title></head><body><h1>Sign in</h1><form method="post" action="/connect/authorize">
            """);
        foreach (var (name, value) in request.GetParameters())
            if (name != "login")
                html.Append($"""<input type="hidden" name="{HtmlEncoder.Default.Encode(name)}" value="{HtmlEncoder.Default.Encode((string?)value ?? "")}">""");
        if (unknown is not null) html.Append($"<p role=alert>No user {HtmlEncoder.Default.Encode(unknown)}</p>");
        html.Append("""<label>User name <input name="login" autocomplete="username"></label> <button type="submit">Sign in</button></form></body></html>""");
        return html.ToString();
    }

    public async ValueTask DisposeAsync()
    {
        http.Dispose();
        if (web is not null) await web.DisposeAsync();
    }

    sealed class ProviderStore(DbContextOptions<ProviderStore> options) : DbContext(options);
}
