using System.Security.Cryptography;
using System.Text;
using EpiGrid.Alerts;
using EpiGrid.Resumption;
using EpiGrid.WebHost.Api;
using Microsoft.AspNetCore.SignalR;
using EpiGrid.Platform;

namespace EpiGrid.WebHost.Alerts;

/// <summary>
/// This web host's end of the push path: registers itself with the push hub grain as an observer (and keeps
/// re-registering, so a restarted silo finds it again) and relays each batch to the SignalR groups. With the
/// Redis backplane, the grain picks one host per backplane and SignalR carries the batch to the others.
/// </summary>
public sealed class PushRelay(IClusterClient grains, IHubContext<GridHub, IGridClient> hub, IHubContext<Web.PublicHub, Web.IPublicClient> publicHub, Province province, IConfiguration config, ILogger<PushRelay> log)
    : BackgroundService, IPushObserver
{
    static readonly TimeSpan RenewEvery = TimeSpan.FromSeconds(20);
    readonly string hostId = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";

    /// <summary>True once the push hub knows this host: until then pushes would not reach its clients.</summary>
    public bool IsSubscribed { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var backplane = config.GetConnectionString("Redis") is { Length: > 0 } redis
            ? "redis:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(redis)))[..16]
            : "host:" + hostId;
        self = grains.CreateObjectReference<IPushObserver>(this);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await grains.GetGrain<IPushHubGrain>(0).Subscribe(self, hostId, backplane);
                IsSubscribed = true;
                await Task.Delay(RenewEvery, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { }
            catch (Exception e)
            {
                log.LogDebug(e, "Could not subscribe to pushes yet; retrying");
                IsSubscribed = false;
                await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken).ContinueWith(_ => { });
            }
        }
    }

    IPushObserver? self;

    /// <summary>
    /// Withdraws this host's observer before the Orleans client goes (hosted services stop in reverse order): a push
    /// arriving later then finds no object, where it would otherwise reach a disposed client and crash the process.
    /// </summary>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        IsSubscribed = false;
        if (self is null) return;
        try { grains.DeleteObjectReference<IPushObserver>(self); }
        catch (ArgumentException) { /* no longer registered with the client: nothing to withdraw */ }
    }

    /// <summary>One push relayed at a time, in arrival order: a push sent again after a timeout must not overtake the slow original.</summary>
    readonly SemaphoreSlim relaying = new(1, 1);

    public async Task Push(PushBatch batch)
    {
        await relaying.WaitAsync();
        try { await Relay(batch); }
        finally { relaying.Release(); }
    }

    async Task Relay(PushBatch batch)
    {
        var sends = new List<Task>();
        var links = new Dictionary<(long, string), long>();
        foreach (var l in batch.Links ?? []) links.TryAdd((l.Seq, l.Group), l.PrevSeq);
        // Each group gets its own copy, carrying the alert that group was pushed before (the link a client checks for gaps).
        foreach (var a in batch.Alerts)
        {
            var payload = AlertPayload.From(a);
            foreach (var group in a.Alert.Audience.Distinct(StringComparer.Ordinal))
                sends.Add(hub.Clients.Group(group).alert(payload with { PrevSeq = links.TryGetValue((a.Seq, group), out var prev) ? prev : null }));
        }
        foreach (var a in batch.AlertUpdates) sends.Add(hub.Clients.Groups(a.Alert.Audience).alertUpdated(AlertPayload.From(a)));
        foreach (var c in batch.Cells)
            sends.Add(hub.Clients.Groups(AlertGroups.Cell(c.CellId), AlertGroups.CountyOfficials(c.County)).cellChanged(c));
        foreach (var c in batch.Counties)
            if (province.Find(c.Code) is { } county)
                sends.Add(hub.Clients.Groups(AlertGroups.County(c.Code), AlertGroups.Province)
                    .countyChanged(CountyResponse.From(county, c, detailed: false)));
        if (batch.Province is { } p) sends.Add(hub.Clients.All.provinceChanged(p));
        foreach (var r in batch.Resumption ?? [])
            sends.Add((r.Scope == ResumptionChange.CountyScope ? hub.Clients.Groups(AlertGroups.County(r.Code), AlertGroups.Province) : hub.Clients.All)
                .resumptionChanged(new ResumptionPush(r.Scope, r.Code, ResumptionResponse.From(r.Figures))));
        sends.Add(Web.PublicHub.Relay(publicHub, batch, province));
        await Task.WhenAll(sends);
    }
}
