using System.Diagnostics;
using EpiGrid.Alerts;
using EpiGrid.Grains.Storage;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Concurrency;
using EpiGrid.Platform;

namespace EpiGrid.Grains.Push;

/// <summary>
/// Fans pushes out to the web hosts (the GPSTracker pattern: web hosts register an observer; grains never see
/// SignalR). Hosts that share a SignalR backplane get each batch once, through one of them, so no screen receives it
/// twice. Each backplane has its own buffer and its own delivery loop: while one push is on its way, new ones gather
/// and go together. A push that fails or hangs is not lost: its batch waits in the buffer and is pushed again (to
/// another host of the backplane, or the same one when it answers) for up to <see cref="PushRetry.KeepUndelivered"/>;
/// only then is it given up, counted and logged. Clients fill any gap with catchUp, told of it by the alert links.
/// </summary>
[Reentrant]
public sealed class PushHubGrain(ILogger<PushHubGrain> log)
    : Grain, IPushHubGrain
{
    static readonly TimeSpan HostExpiry = TimeSpan.FromSeconds(60);

    readonly Dictionary<string, PushHost> hosts = new(StringComparer.Ordinal);
    readonly Dictionary<string, PushDestination> backplanes = new(StringComparer.Ordinal);
    readonly AlertChain chain = new();
    /// <summary>Pushes published while no backplane was known (the hub has just started): the first to register gets them.</summary>
    readonly PushBuffer orphans = new();

    public Task Subscribe(IPushObserver observer, string hostId, string backplaneId)
    {
        if (hosts.TryGetValue(hostId, out var known)) known.Renew(observer);
        else hosts[hostId] = new PushHost(hostId, observer, backplaneId);
        if (!backplanes.TryGetValue(backplaneId, out var destination))
        {
            backplanes[backplaneId] = destination = new PushDestination(backplaneId);
            if (!orphans.IsEmpty)
            {
                var (batch, since) = orphans.Take();
                if (PushRetry.IsStale(since)) Dropped(batch, "no web host registered in time");
                else Dropped(destination.Buffer.PutBack(batch, since), "buffer full");
            }
        }
        Kick(destination);
        return Task.CompletedTask;
    }

    public Task<int> WebHostCount() => Task.FromResult(hosts.Values.Count(h => h.SeenAt >= DateTime.UtcNow - HostExpiry));

    public Task Publish(PushBatch batch)
    {
        var now = Stopwatch.GetTimestamp();
        if (batch.Alerts.Count > 0) batch = batch with { Links = [.. batch.Links ?? [], .. chain.Link(batch.Alerts)] };
        if (backplanes.Count == 0) Dropped(orphans.Add(batch, now), "buffer full");
        foreach (var destination in backplanes.Values)
        {
            Dropped(destination.Buffer.Add(batch, now), "buffer full");
            Kick(destination);
        }
        return Task.CompletedTask;
    }

    void Kick(PushDestination destination)
    {
        if (destination.Pumping.IsCompleted) destination.Pumping = Pump(destination);
        else destination.Wake();
    }

    /// <summary>One backplane's delivery loop: one push in flight at a time, in order; failed ones go back and wait.</summary>
    async Task Pump(PushDestination destination)
    {
        await Task.Yield();
        var failures = 0;
        while (!destination.Buffer.IsEmpty)
        {
            var (batch, since) = destination.Buffer.Take();
            if (await TryDeliver(batch, LiveHosts(destination.Id)) is { } host)
            {
                failures = 0;
                if (batch.Alerts.Count > 0)
                {
                    // Counted, not stored: a stream per delivery was a third commit per alert that no reader needed.
                    Telemetry.EpiGridMetrics.AlertLatency.Record(Stopwatch.GetElapsedTime(since).TotalMilliseconds);
                    Telemetry.EpiGridMetrics.AlertsPushed.Add(batch.Alerts.Count, new KeyValuePair<string, object?>("host", host));
                }
                continue;
            }
            if (PushRetry.IsStale(since)) Dropped(batch, $"backplane {destination.Id} unreachable for {PushRetry.KeepUndelivered.TotalSeconds:0} s");
            else Dropped(destination.Buffer.PutBack(batch, since), "buffer full");
            await destination.Sleep(PushRetry.Backoff(++failures));
        }
        ForgetIfIdle(destination);
    }

    /// <summary>
    /// To one host of the group, in a stable order (batches through different hosts could overtake each other on the
    /// backplane). A host slower than <see cref="PushRetry.Timeout"/> is passed over for the next one; when it is the
    /// last, its push is awaited to the end (the runtime's response timeout) rather than abandoned.
    /// </summary>
    async Task<string?> TryDeliver(PushBatch batch, List<PushHost> group)
    {
        for (var i = 0; i < group.Count; i++)
        {
            var host = group[i];
            if (host.Busy) continue; // still busy with an earlier push we stopped waiting for: do not pile up more
            var call = host.Push(batch);
            try
            {
                await call.WaitAsync(PushRetry.Timeout);
                return host.Id;
            }
            catch (TimeoutException) when (!call.IsCompleted)
            {
                var another = group.Skip(i + 1).Any(h => !h.Busy);
                log.LogWarning("Push to web host {Host} took longer than {Timeout} s; {Next}", host.Id, PushRetry.Timeout.TotalSeconds,
                    another ? "trying the next host of its backplane" : "waiting for it");
                if (another) continue; // the slow push may still arrive: a duplicate, which clients drop by sequence number
            }
            catch (Exception e)
            {
                Failed(host, e);
                continue;
            }
            try
            {
                await call;
                return host.Id;
            }
            catch (Exception e) { Failed(host, e); }
        }
        return null;
    }

    void Failed(PushHost host, Exception e)
    {
        log.LogWarning(e, "Push to web host {Host} failed; its batch waits for the next attempt", host.Id);
        host.Failed();
    }

    List<PushHost> LiveHosts(string backplane)
    {
        var cutoff = DateTime.UtcNow - HostExpiry;
        foreach (var stale in hosts.Values.Where(h => h.SeenAt < cutoff).ToList())
        {
            log.LogWarning("Web host {Host} has not renewed its subscription for {Expiry} s: declared gone", stale.Id, HostExpiry.TotalSeconds);
            hosts.Remove(stale.Id);
        }
        return hosts.Values.Where(h => h.Backplane == backplane)
            .OrderBy(h => h.RecentlyFailed).ThenBy(h => h.Id, StringComparer.Ordinal).ToList();
    }

    /// <summary>A backplane with nothing to push and no host left is forgotten; a host registering brings it back.</summary>
    void ForgetIfIdle(PushDestination destination)
    {
        if (destination.Buffer.IsEmpty && LiveHosts(destination.Id).Count == 0) backplanes.Remove(destination.Id);
    }

    void Dropped(int alerts, string why)
    {
        if (alerts == 0) return;
        Telemetry.EpiGridMetrics.PushesDropped.Add(alerts, new KeyValuePair<string, object?>("reason", why == "buffer full" ? "buffer-full" : "undelivered"));
        log.LogError("{Count} alert pushes given up ({Why}); clients recover them with catchUp", alerts, why);
    }

    void Dropped(PushBatch batch, string why)
    {
        Telemetry.EpiGridMetrics.PushesDropped.Add(batch.Alerts.Count + batch.AlertUpdates.Count,
            new KeyValuePair<string, object?>("reason", "undelivered"));
        log.LogError("A push of {Alerts} alerts, {Updates} alert updates, {Cells} cells and {Counties} counties given up ({Why}); clients recover alerts with catchUp",
            batch.Alerts.Count, batch.AlertUpdates.Count, batch.Cells.Count, batch.Counties.Count, why);
    }
}
