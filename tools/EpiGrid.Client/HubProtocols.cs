using Microsoft.AspNetCore.SignalR.Client;

namespace EpiGrid.Client;

/// <summary>How a connection encodes its messages: JSON (the default, text) or MessagePack (binary, smaller).</summary>
public enum HubProtocol
{
    Json,
    MessagePack,
}

public static class HubProtocols
{
    /// <summary>
    /// Speak MessagePack to EpiGrid's hubs, payloads shaped as the server shapes them: maps with the JSON field names
    /// (camelCase), times as ISO 8601 strings. For a HubConnection of your own; <see cref="GridClient"/> takes
    /// <see cref="HubProtocol.MessagePack"/> instead.
    /// </summary>
    public static IHubConnectionBuilder AddEpiGridMessagePack(this IHubConnectionBuilder builder)
    {
        EpiGrid.SignalR.JsonShapedMessagePack.Add(builder);
        return builder;
    }
}
