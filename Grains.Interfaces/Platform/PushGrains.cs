using Orleans.Concurrency;
using EpiGrid.Alerts;
using EpiGrid.Resumption;
using EpiGrid.Cells;
using EpiGrid.Counties;
using EpiGrid.Provinces;

namespace EpiGrid.Platform;

/// <summary>A web host's receiver of pushes. Grains push through it and know nothing of SignalR.</summary>
[Alias("EpiGrid.Contracts.IPushObserver")] // its name before it moved to Platform/ (FormerWireNames)
public interface IPushObserver : IGrainObserver
{
    [Alias("A3FCE4F2")] // the id this method had before the types of Grains.Interfaces moved (FormerWireNames)
    Task Push(PushBatch batch);
}

/// <summary>
/// Fans pushes out to web hosts (key 0). Hosts sharing a SignalR backplane get each batch once, through one of
/// them; hosts without a shared backplane each get it.
/// </summary>
[Alias("EpiGrid.Contracts.IPushHubGrain")] // its name before it moved to Platform/ (FormerWireNames)
public interface IPushHubGrain : IGrainWithIntegerKey
{
    [Alias("CB859D30")] // the id this method had before the types of Grains.Interfaces moved (FormerWireNames)
    Task Subscribe(IPushObserver observer, string hostId, string backplaneId);

    /// <summary>Web hosts subscribed and seen within the expiry (each renews every 20 s).</summary>
    [Alias("0DAC8FB5")] // the id this method had before the types of Grains.Interfaces moved (FormerWireNames)
    Task<int> WebHostCount();

    [OneWay]
    [Alias("CBF0E98B")] // the id this method had before the types of Grains.Interfaces moved (FormerWireNames)
    Task Publish(PushBatch batch);
}

/// <summary>
/// What changed since the last push; counties and cells keep only their latest state. <see cref="Links"/> chains each
/// alert to the one pushed to the same group before it, so that a client can tell it missed one (see <see cref="AlertLink"/>).
/// </summary>
[GenerateSerializer, Immutable, Alias("epigrid.push-batch")]
public sealed record PushBatch(
    [property: Id(0)] IReadOnlyList<AlertView> Alerts,
    [property: Id(1)] IReadOnlyList<AlertView> AlertUpdates,
    [property: Id(2)] IReadOnlyList<CellSummary> Cells,
    [property: Id(3)] IReadOnlyList<CountyView> Counties,
    [property: Id(4)] ProvinceSummary? Province,
    [property: Id(5)] IReadOnlyList<ResumptionChange>? Resumption = null,
    [property: Id(6)] IReadOnlyList<AlertLink>? Links = null)
{
    public static readonly PushBatch Empty = new([], [], [], [], null);

    /// <summary>Alerts just raised and alerts whose state changed (acknowledged, escalated), in the ledger's order.</summary>
    public static PushBatch OfAlerts(IReadOnlyList<AlertView> raised, IReadOnlyList<AlertView> updated) => Empty with { Alerts = raised, AlertUpdates = updated };
    public static PushBatch Of(CellSummary cell) => Empty with { Cells = [cell] };
    public static PushBatch Of(CountyView county) => Empty with { Counties = [county] };
    public static PushBatch Of(ProvinceSummary province) => Empty with { Province = province };
    public static PushBatch Of(IReadOnlyList<ResumptionChange> resumption) => Empty with { Resumption = resumption };
    public bool IsEmpty => Alerts.Count + AlertUpdates.Count + Cells.Count + Counties.Count + (Resumption?.Count ?? 0) == 0 && Province is null;
}

/// <summary>
/// The alert <paramref name="Seq"/>, pushed to <paramref name="Group"/>, follows <paramref name="PrevSeq"/>: the alert pushed
/// to that group just before it. A client in the group that has not seen <paramref name="PrevSeq"/> missed it and catches up.
/// No link for an alert and group means "not known" (the push hub started again, or alerts reached it out of order):
/// clients catch up then too.
/// </summary>
[GenerateSerializer, Immutable, Alias("epigrid.alert-link")]
public sealed record AlertLink([property: Id(0)] long Seq, [property: Id(1)] string Group, [property: Id(2)] long PrevSeq);
