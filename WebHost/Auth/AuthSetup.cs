using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;

namespace EpiGrid.WebHost.Auth;

public static class AuthSetup
{
    public static IServiceCollection AddEpiGridAuth(this IServiceCollection services)
    {
        // Bound lazily (not read from builder.Configuration) so test hosts can supply the key late.
        services.AddOptions<AuthOptions>()
            .BindConfiguration(AuthOptions.Section)
            .Validate(o => o.HasUsableKey,
                $"{AuthOptions.Section}:SigningKey is missing or shorter than {AuthOptions.MinimumKeyBytes} bytes. "
                + "Set it (base64 or plain text) through configuration, e.g. the environment variable Auth__SigningKey.")
            .ValidateOnStart();
        services.AddSingleton(sp => new TokenIssuer(sp.GetRequiredService<IOptions<AuthOptions>>().Value));

        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<IOptions<AuthOptions>>((jwt, auth) =>
            {
                jwt.MapInboundClaims = false;
                jwt.TokenValidationParameters = auth.Value.ValidationParameters();
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

        // A token without a known role is authenticated but may do nothing: 403, not 401.
        services.AddAuthorizationBuilder().SetDefaultPolicy(new AuthorizationPolicyBuilder(JwtBearerDefaults.AuthenticationScheme)
            .RequireAuthenticatedUser()
            .RequireClaim(ClaimNames.Subject)
            .RequireClaim(ClaimNames.Role, Roles.All)
            .Build());
        return services;
    }
}
