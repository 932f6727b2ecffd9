using EpiGrid.Platform;

namespace EpiGrid.Grains.Push;

/// <summary>A web host subscribed to pushes: its observer, its backplane, when it last renewed, the push it is busy with.</summary>
public sealed class PushHost(string id, IPushObserver observer, string backplane)
{
    static readonly TimeSpan FailureMemory = TimeSpan.FromSeconds(30);
    Task lastPush = Task.CompletedTask;
    DateTime? failedAt;

    public string Id { get; } = id;
    public string Backplane { get; } = backplane;
    public IPushObserver Observer { get; private set; } = observer;
    public DateTime SeenAt { get; private set; } = DateTime.UtcNow;

    /// <summary>A push we stopped waiting for has not finished yet.</summary>
    public bool Busy => !lastPush.IsCompleted;

    /// <summary>Failed within the last half minute: tried after the hosts that did not.</summary>
    public bool RecentlyFailed => failedAt is { } at && DateTime.UtcNow - at < FailureMemory;

    public void Renew(IPushObserver observer)
    {
        Observer = observer;
        SeenAt = DateTime.UtcNow;
    }

    public Task Push(PushBatch batch)
    {
        var call = Observer.Push(batch);
        lastPush = call;
        return call;
    }

    public void Failed() => failedAt = DateTime.UtcNow;
}
