using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;

namespace EpiGrid.WebHost.Auth;

public static class AuthSetup
{
    public static IServiceCollection AddEpiGridAuth(this IServiceCollection services)
    {
        // Bound lazily (not read from builder.Configuration) so test hosts can supply settings late.
        services.AddOptions<AuthOptions>()
            .BindConfiguration(AuthOptions.Section)
            .Validate<IHostEnvironment>((o, env) => o.UsesIssuer || env.IsDevelopment(),
                $"{AuthOptions.Section}:Authority is required outside the Development environment: tokens must come from an "
                + "OpenID Connect issuer (set Auth__Authority and Auth__Audience). The local profile's own tokens exist in Development only.")
            .Validate<IHostEnvironment>((o, env) => string.IsNullOrEmpty(o.SigningKey) || env.IsDevelopment(),
                $"{AuthOptions.Section}:SigningKey is the local profile's development key and is not accepted outside the Development "
                + "environment: remove it; tokens are validated against Auth:Authority's published keys.")
            .Validate(o => o.UsesIssuer || o.HasUsableKey,
                $"{AuthOptions.Section}:SigningKey is missing or shorter than {AuthOptions.MinimumKeyBytes} bytes. "
                + "Set it (base64 or plain text) through configuration, e.g. the environment variable Auth__SigningKey, or set Auth:Authority.")
            .Validate(o => string.IsNullOrWhiteSpace(o.Client.ClientId) || o.UsesIssuer,
                $"{AuthOptions.Section}:Client:ClientId names a client at the OpenID Connect issuer: set {AuthOptions.Section}:Authority too.")
            .Validate(o => o.BrowserAuthority is null || Uri.TryCreate(o.BrowserAuthority, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http",
                $"{AuthOptions.Section}:Client:Authority (or {AuthOptions.Section}:Authority) must be an absolute http(s) address that browsers can reach.")
            .ValidateOnStart();
        services.AddSingleton(sp => new TokenIssuer(sp.GetRequiredService<IOptions<AuthOptions>>().Value));

        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<IOptions<AuthOptions>>((jwt, options) =>
            {
                var auth = options.Value;
                jwt.MapInboundClaims = false;
                if (auth.UsesIssuer)
                {
                    // Discovery gives the issuer and the JWKS; a token naming an unknown key makes the handler fetch
                    // the keys again (at most once per KeyRefreshInterval), so the issuer can rotate its keys.
                    jwt.Authority = auth.Authority;
                    jwt.Audience = auth.Audience;
                    jwt.RequireHttpsMetadata = auth.RequireHttpsMetadata;
                    jwt.RefreshInterval = auth.KeyRefreshInterval;
                    jwt.TokenValidationParameters = auth.IssuerValidationParameters();
                }
                else jwt.TokenValidationParameters = auth.ValidationParameters();
                // Browsers cannot set headers on WebSockets: the SignalR client sends the token as access_token.
                jwt.Events = new JwtBearerEvents
                {
                    OnMessageReceived = context =>
                    {
                        if (context.HttpContext.Request.Path.StartsWithSegments("/hubs")
                            && context.Request.Query["access_token"] is { Count: 1 } token)
                            context.Token = token.ToString();
                        return Task.CompletedTask;
                    },
                };
            });

        // After JwtBearer built its configuration manager from the authority: the JWKS as last fetched is the only
        // truth. By default a key the issuer has retired would still be accepted for an hour through the "last known
        // good" configuration; a key withdrawn because it leaked must stop signing at the next fetch.
        services.PostConfigure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme, jwt =>
        {
            if (jwt.ConfigurationManager is Microsoft.IdentityModel.Tokens.BaseConfigurationManager manager)
                manager.UseLastKnownGoodConfiguration = false;
        });

        // A token without a known role is authenticated but may do nothing: 403, not 401.
        services.AddAuthorizationBuilder().SetDefaultPolicy(new AuthorizationPolicyBuilder(JwtBearerDefaults.AuthenticationScheme)
            .RequireAuthenticatedUser()
            .RequireClaim(ClaimNames.Subject)
            .RequireClaim(ClaimNames.Role, Roles.All)
            .Build());
        return services;
    }

    /// <summary>The development token route exists only in Development, and only when the host signs its own tokens.</summary>
    public static bool IssuesDevTokens(this WebApplication app) =>
        app.Environment.IsDevelopment() && !app.Services.GetRequiredService<IOptions<AuthOptions>>().Value.UsesIssuer;
}
