using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;

namespace EpiGrid.Tests.Alerts;

/// <summary>
/// A web host's SignalR sends (the Redis backplane behind them is real) with a switch that makes every send take as long
/// as <see cref="Delay"/>: a web host slower than the push hub's timeout. The only test double of its tests.
/// </summary>
public sealed class SlowBackplane<THub>(HubLifetimeManager<THub> real, SlowSwitch slow) : HubLifetimeManager<THub> where THub : Hub
{
    async Task Slowly(Func<Task> send)
    {
        if (slow.Delay > TimeSpan.Zero) await Task.Delay(slow.Delay);
        await send();
    }

    public override Task OnConnectedAsync(HubConnectionContext connection) => real.OnConnectedAsync(connection);
    public override Task OnDisconnectedAsync(HubConnectionContext connection) => real.OnDisconnectedAsync(connection);
    public override Task AddToGroupAsync(string connectionId, string groupName, CancellationToken cancellationToken = default) =>
        real.AddToGroupAsync(connectionId, groupName, cancellationToken);
    public override Task RemoveFromGroupAsync(string connectionId, string groupName, CancellationToken cancellationToken = default) =>
        real.RemoveFromGroupAsync(connectionId, groupName, cancellationToken);
    public override Task SendAllAsync(string methodName, object?[] args, CancellationToken cancellationToken = default) =>
        Slowly(() => real.SendAllAsync(methodName, args, cancellationToken));
    public override Task SendAllExceptAsync(string methodName, object?[] args, IReadOnlyList<string> excludedConnectionIds, CancellationToken cancellationToken = default) =>
        Slowly(() => real.SendAllExceptAsync(methodName, args, excludedConnectionIds, cancellationToken));
    public override Task SendConnectionAsync(string connectionId, string methodName, object?[] args, CancellationToken cancellationToken = default) =>
        real.SendConnectionAsync(connectionId, methodName, args, cancellationToken);
    public override Task SendConnectionsAsync(IReadOnlyList<string> connectionIds, string methodName, object?[] args, CancellationToken cancellationToken = default) =>
        real.SendConnectionsAsync(connectionIds, methodName, args, cancellationToken);
    public override Task SendGroupAsync(string groupName, string methodName, object?[] args, CancellationToken cancellationToken = default) =>
        Slowly(() => real.SendGroupAsync(groupName, methodName, args, cancellationToken));
    public override Task SendGroupsAsync(IReadOnlyList<string> groupNames, string methodName, object?[] args, CancellationToken cancellationToken = default) =>
        Slowly(() => real.SendGroupsAsync(groupNames, methodName, args, cancellationToken));
    public override Task SendGroupExceptAsync(string groupName, string methodName, object?[] args, IReadOnlyList<string> excludedConnectionIds, CancellationToken cancellationToken = default) =>
        Slowly(() => real.SendGroupExceptAsync(groupName, methodName, args, excludedConnectionIds, cancellationToken));
    public override Task SendUserAsync(string userId, string methodName, object?[] args, CancellationToken cancellationToken = default) =>
        real.SendUserAsync(userId, methodName, args, cancellationToken);
    public override Task SendUsersAsync(IReadOnlyList<string> userIds, string methodName, object?[] args, CancellationToken cancellationToken = default) =>
        real.SendUsersAsync(userIds, methodName, args, cancellationToken);
    public override Task<T> InvokeConnectionAsync<T>(string connectionId, string methodName, object?[] args, CancellationToken cancellationToken) =>
        real.InvokeConnectionAsync<T>(connectionId, methodName, args, cancellationToken);
    public override Task SetConnectionResultAsync(string connectionId, CompletionMessage result) => real.SetConnectionResultAsync(connectionId, result);
    public override bool TryGetReturnType(string invocationId, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Type? type) =>
        real.TryGetReturnType(invocationId, out type);
}

public sealed class SlowSwitch
{
    long ticks;
    public TimeSpan Delay { get => TimeSpan.FromTicks(Interlocked.Read(ref ticks)); set => Interlocked.Exchange(ref ticks, value.Ticks); }
}
