using EpiGrid.Cells;
using EpiGrid.Counties;
using EpiGrid.Counties.Rules;
using EpiGrid.Platform;
using EpiGrid.Provinces;

namespace EpiGrid.Audit;

/// <summary>
/// The history, read in the silo: replays of cells, counties and the province at a <see cref="Moment"/>, what-if runs,
/// colour explanations, event pages, the chain's verification and the digests. Stateless: any silo runs it (one
/// activation per silo per concurrent call, up to the processor count) over the event store. Nothing is written;
/// who asked is recorded by the caller (<see cref="IQueryRecordGrain"/>) before the answer is given.
/// </summary>
public interface IHistoryGrain : IGrainWithIntegerKey
{
    Task<CellView?> Cell(string cellId, Moment moment, CancellationToken cancellationToken = default);

    [ResponseTimeout("00:10:00")]
    Task<CountyView> County(string code, Moment moment, CancellationToken cancellationToken = default);

    [ResponseTimeout("00:10:00")]
    Task<ProvinceView> Province(Moment moment, CancellationToken cancellationToken = default);

    /// <summary>Why <paramref name="county"/> had its colour under the configured rule set <paramref name="ruleSet"/>.</summary>
    [ResponseTimeout("00:10:00")]
    Task<ColourExplanation> Explain(string county, string ruleSet, Moment moment, CancellationToken cancellationToken = default);

    /// <summary>
    /// Each county's colour timeline over [from, to] under the configured rule set <paramref name="ruleSet"/>, each day
    /// judged by its version in force that day; or by one <paramref name="ruleVersion"/> throughout; or, with
    /// <paramref name="parameters"/>, zhejiang-5 (the version asked for, else the latest) with other weights and
    /// cut-offs throughout. Judged with what was known at <paramref name="knownAt"/>.
    /// </summary>
    [ResponseTimeout("00:10:00")]
    [Alias("17A5C629")] // the id this method had before the types of Grains.Interfaces moved (FormerWireNames)
    Task<WhatIfResponse> WhatIf(string ruleSet, string? ruleVersion, Zhejiang5Parameters? parameters, DateTimeOffset from, DateTimeOffset to,
        DateTimeOffset knownAt, CancellationToken cancellationToken = default);

    /// <summary>
    /// The map's history (issue 17): under the configured rule set, each county's colour at the end of each local day of
    /// [from, to] and the counts per colour, from the events (a replay, as known now), with the counts published in 2020.
    /// </summary>
    [ResponseTimeout("00:10:00")]
    Task<EpiGrid.Provinces.ColourHistory> ColourHistory(string ruleSet, DateOnly from, DateOnly to, CancellationToken cancellationToken = default);

    /// <summary>Up to <paramref name="limit"/> events of the filter after skipping <paramref name="offset"/>, in sequence order, within <paramref name="timeout"/>.</summary>
    [ResponseTimeout("01:00:00")]
    Task<IReadOnlyList<StoredRow>> Events(EventFilter filter, long offset, int limit, TimeSpan timeout, CancellationToken cancellationToken = default);

    /// <summary>A person's code as it stood at a moment, with the facts that decided it; null: nobody of that reference known then.</summary>
    Task<EpiGrid.People.PersonCodeHistory?> PersonCode(string personRef, Moment moment, CancellationToken cancellationToken = default);

    /// <summary>Where cases with this id are (one per county that used it), from the case register.</summary>
    Task<IReadOnlyList<EpiGrid.People.CaseLocation>> FindCase(string caseId, CancellationToken cancellationToken = default);

    /// <summary>
    /// A case's transmission chain (issue 16), from the case register and the contacts recorded, or as it was known at a
    /// moment (from the events); null: no such case (then).
    /// </summary>
    Task<EpiGrid.People.CaseChain?> Chain(string county, string caseId, Moment? moment = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// A page of a line list (issue 17): the cases of the query in key order after its cursor, live from the case register, or
    /// (with <paramref name="moment"/>) as the cells' events had them then.
    /// </summary>
    [ResponseTimeout("00:10:00")]
    Task<EpiGrid.People.CaseListPage> Cases(EpiGrid.People.CaseListQuery query, Moment? moment = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// An epidemic curve (issue 17) of a county (null: the province) over local days [from, to], by report or by onset, live from
    /// the case register, or (with <paramref name="moment"/>) as the cells' events had the cases then (cases ruled out are not counted).
    /// </summary>
    [ResponseTimeout("00:10:00")]
    Task<EpiGrid.People.EpiCurve> EpiCurve(string? county, DateOnly from, DateOnly to, bool byOnset, Moment? moment = null,
        CancellationToken cancellationToken = default);

    /// <summary>
    /// Every county's confirmed cases per local day over [from, to] (the confirmed counts of each county's epidemic curve), live
    /// or as of a <paramref name="moment"/>; counties with no case in the days are left out.
    /// </summary>
    [ResponseTimeout("00:10:00")]
    Task<IReadOnlyList<EpiGrid.People.CountyIncidence>> ConfirmedByCounty(DateOnly from, DateOnly to, bool byOnset, Moment? moment = null,
        CancellationToken cancellationToken = default);

    /// <summary>A cluster's cases, cells, counties, first and last report; null: no case names it.</summary>
    Task<EpiGrid.People.ClusterView?> Cluster(string clusterId, CancellationToken cancellationToken = default);

    /// <summary>
    /// A county's cases that occurred in the 14 local days up to <paramref name="now"/> with neither an infecting case nor
    /// a cluster (and not ruled out): the hidden sources grid workers are sent to find.
    /// </summary>
    Task<IReadOnlyList<EpiGrid.People.CaseNode>> Unlinked(string county, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>New confirmed cases per local day of occurrence in [from, to], from the case register.</summary>
    Task<IReadOnlyList<DailyCount>> NewConfirmedPerDay(string county, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default);

    /// <summary>Recomputes the hash chain of every stream and the province digests within <paramref name="timeout"/>.</summary>
    [ResponseTimeout("01:00:00")]
    Task<VerifyResponse> Verify(TimeSpan timeout, CancellationToken cancellationToken = default);

    /// <summary>Every province digest, signed, as a file auditors keep outside the platform.</summary>
    Task<DigestFile> Digests(CancellationToken cancellationToken = default);

    /// <summary>The claimed digests the store no longer folds to, as breaks of the province-digest stream.</summary>
    [ResponseTimeout("01:00:00")]
    Task<IReadOnlyList<ChainBreak>> CheckDigests(IReadOnlyList<CheckedDigestClaim> claims, TimeSpan timeout, CancellationToken cancellationToken = default);
}

/// <summary>
/// One actor's record of what they looked at (key: the actor; stream "audit:&lt;actor&gt;"): audit queries, personal data
/// seen in clear, exports, health code lookups. Appended through the event log like every other event; one activation
/// per actor takes their records in turn, so simultaneous queries never race for the stream's next version.
/// </summary>
public interface IQueryRecordGrain : IGrainWithStringKey
{
    /// <summary>
    /// Answers once the record is committed: <see cref="Outcome.Created"/>; or <see cref="Outcome.Unavailable"/> /
    /// <see cref="Outcome.Unknown"/> when the store could not take it now (the query must then not be answered).
    /// </summary>
    [Alias("178256D5")] // the id this method had before the types of Grains.Interfaces moved (FormerWireNames)
    Task<CommandResult> Record(IEpiEvent record);
}

/// <summary>
/// One export (key: a new id per export), reading a snapshot of the store (a read-only, repeatable-read transaction):
/// the count answered by <see cref="Open"/> and the rows <see cref="Next"/> then gives agree, however many events are
/// committed meanwhile. The snapshot lives until <see cref="Close"/>, or at most the timeout given to <see cref="Open"/>
/// (PostgreSQL stops its statements and the idle transaction then).
/// </summary>
public interface IEventExportGrain : IGrainWithGuidKey
{
    /// <summary>Opens the snapshot and answers how many events of the filter it holds.</summary>
    [ResponseTimeout("01:00:00")]
    Task<long> Open(EventFilter filter, TimeSpan timeout, CancellationToken cancellationToken = default);

    /// <summary>The next rows, at most <paramref name="max"/>, in sequence order; none when the export is complete.</summary>
    [ResponseTimeout("01:00:00")]
    Task<IReadOnlyList<StoredRow>> Next(int max, CancellationToken cancellationToken = default);

    /// <summary>Gives the snapshot back. Called once the export ends, complete or not.</summary>
    Task Close();
}
