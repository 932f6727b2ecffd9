using System.Text.Encodings.Web;

namespace EpiGrid.WebHost.Alerts;

public static class PushSetup
{
    /// <summary>SignalR (with the Redis backplane when ConnectionStrings:Redis is set) and this host's push relay.</summary>
    public static WebApplicationBuilder AddEpiGridPush(this WebApplicationBuilder builder)
    {
        var signalR = builder.Services.AddSignalR(o => o.EnableDetailedErrors = false)
            .AddJsonProtocol(o => o.PayloadSerializerOptions.Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping);
        if (builder.Configuration.GetConnectionString("Redis") is { Length: > 0 } redis)
            signalR.AddStackExchangeRedis(redis, o => o.Configuration.ChannelPrefix = StackExchange.Redis.RedisChannel.Literal("epigrid"));
        builder.Services.AddSingleton<PushRelay>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<PushRelay>());
        return builder;
    }

    public static WebApplication MapEpiGridPush(this WebApplication app, RouteGroupBuilder api)
    {
        app.MapHub<GridHub>(GridHub.Path);
        api.MapAlertsApi();
        return app;
    }
}
