using Microsoft.AspNetCore.SignalR;
using System.Text.Encodings.Web;

namespace EpiGrid.WebHost.Alerts;

public static class PushSetup
{
    /// <summary>SignalR (with the Redis backplane when ConnectionStrings:Redis is set) and this host's push relay.</summary>
    public static WebApplicationBuilder AddEpiGridPush(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<HubRateLimitFilter>();
        builder.Services.AddSingleton<AlertAcknowledgements>();
        var signalR = builder.Services.AddSignalR(o =>
            {
                o.EnableDetailedErrors = false;
                o.AddFilter<HubRateLimitFilter>();
            })
            .AddJsonProtocol(o =>
            {
                o.PayloadSerializerOptions.Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
                o.PayloadSerializerOptions.Converters.Add(new HubStrings());
            });
        // MessagePack beside JSON, for clients that ask for it in their handshake (JSON stays the default): the same
        // payloads with the same camelCase names and values, shaped by the JSON options above (JsonShapedMessagePack).
        EpiGrid.SignalR.JsonShapedMessagePack.Add(signalR);
        signalR
            .AddHubOptions<GridHub>(o => o.MaximumReceiveMessageSize = GridHub.MaxMessageBytes);
        // The channel prefix names the deployment: two deployments sharing one Redis (or test platforms sharing the
        // test Redis) must never see each other's pushes.
        if (builder.Configuration.GetConnectionString("Redis") is { Length: > 0 } redis)
        {
            var cluster = builder.Configuration.GetSection("Cluster");
            var prefix = $"epigrid:{cluster["ServiceId"] ?? "epigrid"}:{cluster["ClusterId"] ?? "epigrid-local"}";
            signalR.AddStackExchangeRedis(redis, o => o.Configuration.ChannelPrefix = StackExchange.Redis.RedisChannel.Literal(prefix));
        }
        builder.Services.AddSingleton<PushRelay>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<PushRelay>());
        return builder;
    }

    public static WebApplication MapEpiGridPush(this WebApplication app, RouteGroupBuilder api)
    {
        // A connection lives no longer than its token: when it expires the connection is closed and the client must
        // reconnect with a fresh one (the public hub is anonymous and has nothing to expire).
        app.MapHub<GridHub>(GridHub.Path, o => o.CloseOnAuthenticationExpiration = true);
        api.MapAlertsApi();
        return app;
    }
}
