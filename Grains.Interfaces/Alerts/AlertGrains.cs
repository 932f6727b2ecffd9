using Orleans.Concurrency;
using EpiGrid.Platform;

namespace EpiGrid.Alerts;

/// <summary>
/// The province's alert ledger (key 0): gives every alert its place in one increasing sequence and commits
/// alerts in that order, so a client that saw sequence n and asks for what came after misses nothing.
/// </summary>
public interface IAlertLedgerGrain : IGrainWithIntegerKey
{
    /// <summary>Raise alerts (already raised ids are ignored). One-way: the store sweep backs up a lost call.</summary>
    [OneWay]
    Task Raise(IReadOnlyList<AlertDraft> drafts);

    /// <summary>
    /// Raise alerts and answer once each is committed, found raised already (<see cref="Outcome.Unchanged"/>) or given
    /// up (<see cref="Outcome.Unavailable"/>, <see cref="Outcome.Unknown"/>): for a caller whose alerts no store event
    /// derives, so the sweep cannot find them and the caller must try again itself (the resumption index's lag alerts).
    /// </summary>
    Task<IReadOnlyList<CommandResult>> RaiseConfirmed(IReadOnlyList<AlertDraft> drafts);

    /// <summary>Acknowledge an alert; answers with the alert as it now stands (null when it was not acknowledged).</summary>
    [Alias("A3FAEA24")] // the id this method had before the types of Grains.Interfaces moved (FormerWireNames)
    Task<Acknowledgement> Acknowledge(string alertId, Provenance by, string? note);

    /// <summary>
    /// Every alert up to this sequence has been committed or given up. A round's alerts may reach the store in more
    /// than one transaction, so a reader that saw sequence n must not assume every lower one is visible yet: catch-up
    /// reads only up to here, and anything newer reaches the client by push, which follows its round's commit.
    /// </summary>
    [AlwaysInterleave]
    Task<long> CommittedThrough();
}

/// <summary>Reads alerts from the store for catch-up and lists; stateless, so reads scale out.</summary>
public interface IAlertQueryGrain : IGrainWithIntegerKey
{
    Task<IReadOnlyList<AlertView>> Find(AlertQuery query);
    Task<AlertView?> Get(string alertId);

    /// <summary>The alert's events: raised, acknowledged, escalated, each with who and when.</summary>
    Task<IReadOnlyList<AlertHistoryEntry>> History(string alertId);
}

/// <summary>The ledger's answer to an acknowledgement: the outcome and, unless refused, the alert after it.</summary>
[GenerateSerializer, Immutable, Alias("epigrid.acknowledgement")]
public sealed record Acknowledgement([property: Id(0)] CommandResult Result, [property: Id(1)] AlertView? Alert);

[GenerateSerializer, Immutable, Alias("epigrid.alert-history-entry")]
public sealed record AlertHistoryEntry(
    [property: Id(0)] long Version, [property: Id(1)] string Event, [property: Id(2)] string Actor, [property: Id(3)] string Source,
    [property: Id(4)] DateTimeOffset RecordedAt, [property: Id(5)] string? Detail);

/// <param name="Groups">Only alerts addressed to one of these groups (the caller's jurisdiction); null: every alert.</param>
[GenerateSerializer, Immutable, Alias("epigrid.alert-query")]
public sealed record AlertQuery(
    [property: Id(0)] IReadOnlyList<string>? Groups,
    [property: Id(1)] long AfterSeq = 0,
    [property: Id(2)] string? Status = null,
    [property: Id(3)] string? CellId = null,
    [property: Id(4)] string? County = null,
    [property: Id(5)] DateTimeOffset? Since = null,
    [property: Id(6)] int Limit = 500,
    [property: Id(7)] long? UpToSeq = null);
