using EpiGrid.Alerts;
using EpiGrid.Grains.Storage;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Concurrency;

namespace EpiGrid.Grains.Push;

/// <summary>
/// Fans pushes out to the web hosts (the GPSTracker pattern: web hosts register an observer; grains never see
/// SignalR). Batches naturally: while one push is on its way, new ones gather and go together, counties and
/// cells reduced to their latest state. Hosts that share a SignalR backplane get each batch once, through one
/// of them, so no screen receives it twice.
/// </summary>
[Reentrant]
public sealed class PushHubGrain(IEventLog eventLog, [FromKeyedServices(Clocks.Domain)] TimeProvider clock, ILogger<PushHubGrain> log)
    : Grain, IPushHubGrain
{
    static readonly TimeSpan HostExpiry = TimeSpan.FromSeconds(60);
    static readonly TimeSpan PushTimeout = TimeSpan.FromSeconds(5);

    sealed record Host(string Id, IPushObserver Observer, string Backplane, DateTime SeenAt);

    readonly Dictionary<string, Host> hosts = new(StringComparer.Ordinal);
    readonly List<AlertView> alerts = [];
    readonly Dictionary<string, AlertView> alertUpdates = new(StringComparer.Ordinal);
    readonly Dictionary<string, CellSummary> cells = new(StringComparer.Ordinal);
    readonly Dictionary<string, CountyView> counties = new(StringComparer.Ordinal);
    readonly Dictionary<(string, string, DateOnly), EpiGrid.Resumption.ResumptionChange> resumption = [];
    ProvinceSummary? province;
    /// <summary>When the oldest alert waiting to be pushed arrived, just after the ledger committed it (real time).</summary>
    long? alertsSince;
    Task flushing = Task.CompletedTask;

    public Task Subscribe(IPushObserver observer, string hostId, string backplaneId)
    {
        hosts[hostId] = new Host(hostId, observer, backplaneId, DateTime.UtcNow);
        return Task.CompletedTask;
    }

    public Task<int> WebHostCount() => Task.FromResult(hosts.Values.Count(h => h.SeenAt >= DateTime.UtcNow - HostExpiry));

    public Task Publish(PushBatch batch)
    {
        if (batch.Alerts.Count > 0) alertsSince ??= System.Diagnostics.Stopwatch.GetTimestamp();
        alerts.AddRange(batch.Alerts);
        foreach (var a in batch.AlertUpdates) alertUpdates[a.Alert.Id] = a;
        foreach (var c in batch.Cells) cells[c.CellId] = c;
        foreach (var c in batch.Counties) counties[c.Code] = c;
        foreach (var r in batch.Resumption ?? []) resumption[(r.Scope, r.Code, r.Figures.Day)] = r;
        province = batch.Province ?? province;
        if (flushing.IsCompleted) flushing = Flush();
        return Task.CompletedTask;
    }

    async Task Flush()
    {
        await Task.Yield();
        while (true)
        {
            var batch = new PushBatch(alerts.OrderBy(a => a.Seq).ToList(), alertUpdates.Values.ToList(), cells.Values.ToList(),
                counties.Values.ToList(), province, resumption.Values.ToList());
            if (batch.IsEmpty) return;
            var since = alertsSince;
            alerts.Clear(); alertUpdates.Clear(); cells.Clear(); counties.Clear(); province = null; alertsSince = null; resumption.Clear();
            await Deliver(batch);
            if (since is { } t && batch.Alerts.Count > 0)
                Telemetry.EpiGridMetrics.AlertLatency.Record(System.Diagnostics.Stopwatch.GetElapsedTime(t).TotalMilliseconds);
        }
    }

    async Task Deliver(PushBatch batch)
    {
        var cutoff = DateTime.UtcNow - HostExpiry;
        foreach (var stale in hosts.Values.Where(h => h.SeenAt < cutoff).ToList()) hosts.Remove(stale.Id);
        // Always the same host of a backplane while it works: batches sent through different hosts reach Redis on different
        // connections and can overtake each other (clients cope, by sequence number, but in-order pushes are kinder).
        await Task.WhenAll(hosts.Values.GroupBy(h => h.Backplane)
            .Select(group => DeliverOnce(batch, group.OrderBy(h => h.Id, StringComparer.Ordinal).ToList())));
    }

    /// <summary>To one host of a backplane group, trying the next when one fails.</summary>
    async Task DeliverOnce(PushBatch batch, List<Host> group)
    {
        for (var i = 0; i < group.Count; i++)
        {
            var host = group[i];
            try
            {
                await host.Observer.Push(batch).WaitAsync(PushTimeout);
                if (batch.Alerts.Count > 0) _ = RecordDelivery(batch, host.Id);
                return;
            }
            catch (Exception e)
            {
                log.LogWarning(e, "Push to web host {Host} failed; dropping it until it subscribes again", host.Id);
                hosts.Remove(host.Id);
            }
        }
    }

    async Task RecordDelivery(PushBatch batch, string hostId)
    {
        var now = clock.GetUtcNow();
        try
        {
            await eventLog.AppendAsync(new StreamWrite("delivery:" + Guid.NewGuid().ToString("N"), 0,
                [new AlertDelivered(batch.Alerts.Select(a => a.Alert.Id).ToList(), hostId, new EventMeta("epigrid", "push", now, now))], [], []));
        }
        catch (Exception e)
        {
            log.LogWarning(e, "Delivery of {Count} alerts could not be recorded", batch.Alerts.Count);
        }
    }
}
