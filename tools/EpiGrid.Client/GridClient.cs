using Microsoft.AspNetCore.SignalR.Client;

namespace EpiGrid.Client;

/// <summary>
/// A live connection to EpiGrid's hub for one user. Reconnects by itself and asks catchUp from the last point it knows
/// to be complete: after every (re)connection, as soon as a pushed alert shows that one before it was lost (see
/// <see cref="Alert.PrevSeq"/>), and once a minute; so each alert is handed to <see cref="AlertReceived"/> exactly once,
/// live or missed. A user's alerts come through several groups (SignalR delivers each group separately, so they may
/// arrive slightly out of sequence order): alerts are therefore recognised by their sequence number, not by a
/// high-water mark. Keep <see cref="LastSeq"/> across restarts (and pass it back in, read after
/// <see cref="DisposeAsync"/>) to resume after the process itself was gone.
/// </summary>
public sealed class GridClient : IAsyncDisposable
{
    readonly HubConnection connection;
    readonly SemaphoreSlim gate = new(1, 1);
    /// <summary>One catch-up at a time: two at once would each think the other's alerts were beyond what they saw.</summary>
    readonly SemaphoreSlim catchUpTurn = new(1, 1);
    int catchUpsWaiting;
    bool catchingUp;
    readonly List<Alert> heldBack = [];

    static readonly TimeSpan CatchUpEvery = TimeSpan.FromMinutes(1);
    readonly HashSet<long> seen = [];
    Timer? periodic;

    /// <param name="protocol">JSON (the default) or MessagePack: the same alerts either way, MessagePack's frames smaller.</param>
    public GridClient(Uri server, Func<Task<string?>> token, long lastSeq = 0, Action<IHubConnectionBuilder>? configure = null,
        HubProtocol protocol = HubProtocol.Json)
    {
        LastSeq = lastSeq;
        var builder = new HubConnectionBuilder()
            .WithUrl(new Uri(server, "/hubs/grid"), o => o.AccessTokenProvider = token)
            .WithAutomaticReconnect(new ForeverRetry());
        if (protocol == HubProtocol.MessagePack) builder.AddEpiGridMessagePack();
        configure?.Invoke(builder);
        connection = builder.Build();
        connection.On<Alert>("alert", OnLive);
        connection.On<Alert>("alertUpdated", a => AlertUpdated?.Invoke(a));
        // From the moment the connection drops, live alerts wait for the catch-up that follows the reconnection:
        // handed out at once, one could move LastSeq past alerts that only the catch-up brings.
        connection.Reconnecting += async e => { await HoldLiveAlerts(); StateChanged?.Invoke("reconnecting"); };
        connection.Reconnected += async _ => { StateChanged?.Invoke("connected"); await CatchUp(); };
        connection.Closed += e => { StateChanged?.Invoke("closed"); return Task.CompletedTask; };
    }

    /// <summary>Every alert of this user up to this sequence has been handed out: the point to resume from.</summary>
    public long LastSeq { get; private set; }

    /// <summary>
    /// Each alert once. A catch-up hands out in sequence order; live alerts come as they arrive, which across a user's
    /// groups can be a few milliseconds out of sequence order (sort by <see cref="Alert.Seq"/> to show them).
    /// </summary>
    public event Action<Alert>? AlertReceived;
    /// <summary>An alert changed (acknowledged, escalated).</summary>
    public event Action<Alert>? AlertUpdated;
    /// <summary>"connected", "reconnecting" or "closed": for a banner when the network drops.</summary>
    public event Action<string>? StateChanged;

    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        await HoldLiveAlerts();
        await connection.StartAsync(cancellationToken);
        StateChanged?.Invoke("connected");
        await CatchUp();
        // A lost push is noticed at the next alert of its group; the last one before a quiet spell, by this.
        periodic = new Timer(_ => { if (connection.State == HubConnectionState.Connected) CatchUpSoon(); }, null, CatchUpEvery, CatchUpEvery);
    }

    public Task<Alert> Acknowledge(string alertId, string? note = null) => connection.InvokeAsync<Alert>("ack", alertId, note);

    /// <summary>Live alerts that arrive while catching up wait, so nothing is handed out of order.</summary>
    async Task OnLive(Alert alert)
    {
        bool gap;
        await gate.WaitAsync();
        try
        {
            if (catchingUp) { heldBack.Add(alert); return; }
            gap = DeliverLive(alert);
        }
        finally { gate.Release(); }
        // Not awaited: a hub call awaited inside a handler would wait for a reply this very handler keeps from being read.
        if (gap) CatchUpSoon();
    }

    async Task HoldLiveAlerts()
    {
        await gate.WaitAsync();
        catchingUp = true;
        gate.Release();
    }

    /// <summary>A catch-up soon, unless one is already waiting for its turn (it will see what this one would).</summary>
    void CatchUpSoon()
    {
        if (Interlocked.Increment(ref catchUpsWaiting) > 1) { Interlocked.Decrement(ref catchUpsWaiting); return; }
        _ = Task.Run(async () =>
        {
            try { await CatchUp(waiting: true); }
            catch (Exception) { /* the connection is down: its return brings a catch-up */ }
        });
    }

    async Task CatchUp() => await CatchUp(waiting: false);

    async Task CatchUp(bool waiting)
    {
        await catchUpTurn.WaitAsync();
        if (waiting) Interlocked.Decrement(ref catchUpsWaiting);
        var gap = false;
        try
        {
            await HoldLiveAlerts();
            try
            {
                // catchUp answers only up to what the server has fully committed, so everything of ours up to the last
                // alert it returns is complete: that becomes the new resume point.
                for (var since = LastSeq; ;)
                {
                    var missed = await connection.InvokeAsync<List<Alert>>("catchUp", since);
                    await gate.WaitAsync();
                    try
                    {
                        foreach (var a in missed) Deliver(a);
                        if (missed.Count > 0) since = missed[^1].Seq;
                        LastSeq = Math.Max(LastSeq, since);
                        seen.RemoveWhere(seq => seq <= LastSeq);
                    }
                    finally { gate.Release(); }
                    if (missed.Count < 1000) break;
                }
            }
            finally
            {
                await gate.WaitAsync();
                catchingUp = false;
                foreach (var a in heldBack.OrderBy(a => a.Seq)) gap |= DeliverLive(a);
                heldBack.Clear();
                gate.Release();
            }
        }
        finally { catchUpTurn.Release(); }
        if (gap) CatchUpSoon();
    }

    /// <summary>
    /// Hands a pushed alert out (unless already) and tells whether its link shows a lost push: the alert its group was
    /// pushed before it is neither handed out nor behind <see cref="LastSeq"/>, or the server could not tell (no link).
    /// Call under the gate.
    /// </summary>
    bool DeliverLive(Alert alert)
    {
        var gap = alert.PrevSeq is not { } prev || (prev > LastSeq && !seen.Contains(prev));
        Deliver(alert);
        return gap;
    }

    /// <summary>Hands an alert out unless it was already (by sequence number); call under the gate.</summary>
    void Deliver(Alert alert)
    {
        if (alert.Seq <= LastSeq || !seen.Add(alert.Seq)) return;
        AlertReceived?.Invoke(alert);
    }

    /// <summary>
    /// Settles <see cref="LastSeq"/> with a last catch-up (when still connected), then closes. An alert pushed while
    /// that catch-up ran is handed out but lies beyond what the catch-up saw committed: one more catch-up takes the
    /// resume point past it, so a client resumed from <see cref="LastSeq"/> is not handed it again.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (periodic is not null) await periodic.DisposeAsync();
        for (var attempt = 0; attempt < 3 && connection.State == HubConnectionState.Connected; attempt++)
        {
            try { await CatchUp().WaitAsync(TimeSpan.FromSeconds(5)); }
            catch (Exception e) when (e is TimeoutException or Microsoft.AspNetCore.SignalR.HubException or InvalidOperationException or OperationCanceledException) { break; }
            if (!await HandedOutBeyondLastSeq()) break;
        }
        await connection.DisposeAsync();
    }

    async Task<bool> HandedOutBeyondLastSeq()
    {
        await gate.WaitAsync();
        try { return seen.Count > 0; } // seen keeps only what lies beyond LastSeq
        finally { gate.Release(); }
    }

    /// <summary>A grid worker's phone should never give up: 0, 1, 2, 5, then every 10 seconds.</summary>
    sealed class ForeverRetry : IRetryPolicy
    {
        static readonly TimeSpan[] Steps = [TimeSpan.Zero, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(5)];
        public TimeSpan? NextRetryDelay(RetryContext context) =>
            context.PreviousRetryCount < Steps.Length ? Steps[context.PreviousRetryCount] : TimeSpan.FromSeconds(10);
    }
}
