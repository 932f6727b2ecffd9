using Microsoft.AspNetCore.SignalR.Client;

namespace EpiGrid.Client;

/// <summary>
/// A live connection to EpiGrid's hub for one user. Reconnects by itself and, after every (re)connection, asks
/// catchUp with the last sequence it saw, so each alert is handed to <see cref="AlertReceived"/> exactly once
/// and in order, whether it came live or was missed while offline. Keep <see cref="LastSeq"/> across restarts
/// (and pass it back in) to resume after the process itself was gone.
/// </summary>
public sealed class GridClient : IAsyncDisposable
{
    readonly HubConnection connection;
    readonly SemaphoreSlim gate = new(1, 1);
    bool catchingUp;
    readonly List<Alert> heldBack = [];

    public GridClient(Uri server, Func<Task<string?>> token, long lastSeq = 0, Action<IHubConnectionBuilder>? configure = null)
    {
        LastSeq = lastSeq;
        var builder = new HubConnectionBuilder()
            .WithUrl(new Uri(server, "/hubs/grid"), o => o.AccessTokenProvider = token)
            .WithAutomaticReconnect(new ForeverRetry());
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

    /// <summary>The highest alert sequence handed out so far.</summary>
    public long LastSeq { get; private set; }

    /// <summary>Each alert once, in sequence order.</summary>
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
    }

    public Task<Alert> Acknowledge(string alertId, string? note = null) => connection.InvokeAsync<Alert>("ack", alertId, note);

    /// <summary>Live alerts that arrive while catching up wait, so nothing is handed out of order.</summary>
    async Task OnLive(Alert alert)
    {
        await gate.WaitAsync();
        try
        {
            if (catchingUp) heldBack.Add(alert);
            else Deliver(alert);
        }
        finally { gate.Release(); }
    }

    async Task HoldLiveAlerts()
    {
        await gate.WaitAsync();
        catchingUp = true;
        gate.Release();
    }

    async Task CatchUp()
    {
        await HoldLiveAlerts();
        try
        {
            while (true)
            {
                var missed = await connection.InvokeAsync<List<Alert>>("catchUp", LastSeq);
                await gate.WaitAsync();
                try { foreach (var a in missed) Deliver(a); }
                finally { gate.Release(); }
                if (missed.Count < 1000) break;
            }
        }
        finally
        {
            await gate.WaitAsync();
            catchingUp = false;
            foreach (var a in heldBack.OrderBy(a => a.Seq)) Deliver(a);
            heldBack.Clear();
            gate.Release();
        }
    }

    void Deliver(Alert alert)
    {
        if (alert.Seq <= LastSeq) return;
        LastSeq = alert.Seq;
        AlertReceived?.Invoke(alert);
    }

    public async ValueTask DisposeAsync() => await connection.DisposeAsync();

    /// <summary>A grid worker's phone should never give up: 0, 1, 2, 5, then every 10 seconds.</summary>
    sealed class ForeverRetry : IRetryPolicy
    {
        static readonly TimeSpan[] Steps = [TimeSpan.Zero, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(5)];
        public TimeSpan? NextRetryDelay(RetryContext context) =>
            context.PreviousRetryCount < Steps.Length ? Steps[context.PreviousRetryCount] : TimeSpan.FromSeconds(10);
    }
}
