using EpiGrid.Platform;
using Orleans.Concurrency;

namespace EpiGrid.People;

/// <summary>A person under watch (key: person reference): arrivals, check-ins and the health code.</summary>
public interface IPersonGrain : IGrainWithStringKey
{
    Task<ArrivalResult> ReportArrival(ReportArrival report);
    Task<(CommandResult Result, CodeView? Code)> CheckIn(RecordCheckIn checkIn);
    /// <summary>
    /// One of the person's cases as it stands now (idempotent: the same status again changes nothing). A person not on
    /// record becomes one when the link carries their masked identity; without it, NotFound.
    /// </summary>
    Task<(CommandResult Result, CodeView? Code)> RecordCase(PersonCaseLink link);
    /// <summary>
    /// A close contact of a case (idempotent per source record): the person is put under watch in the cell where they stay,
    /// their code turns red until 14 normal days after the last contact, and that cell's workers get a tracing task.
    /// </summary>
    Task<(CommandResult Result, CodeView? Code)> ReportContact(ReportContact report);
    /// <summary>
    /// An itinerary (idempotent per source record): its stays, screened against the colour history of their counties; the
    /// person's code changes at once when a county was red, orange or yellow within 14 days of a stay.
    /// </summary>
    Task<(CommandResult Result, CodeView? Code)> RecordStays(ReportStays report);
    /// <summary>
    /// The person's own declaration: recorded (with its itinerary, screened as any) when it comes from the phone the identity
    /// number was first declared from, or is the first; from another phone it replaces nothing, changes no code, and raises a
    /// task for the cell's workers to verify (<c>Disputed</c>, no code answered).
    /// </summary>
    Task<(CommandResult Result, CodeView? Code, bool Disputed)> Declare(Declaration declaration);
    /// <summary>
    /// A grid worker's visit (issue 19) in the cell the person is on record in (else NotFound): recorded once per visit id
    /// (Unchanged for a resend), with the code change a reading taken at it causes, and the alerts it raises.
    /// </summary>
    Task<(CommandResult Result, CodeView? Code)> RecordVisit(VisitReport visit, string cellId);
    /// <summary>A county the person stayed in changed colour (from the county's place screening; idempotent).</summary>
    Task<CommandResult> PlaceTurned(ColourSpell spell);
    /// <summary>Whether the person is a close contact (degree 1) of a case: whose contacts may be registered as 次密接.</summary>
    [AlwaysInterleave]
    Task<ContactOfCase?> CloseContactOf();
    /// <summary>The code as of now; null when nobody of that reference is on record.</summary>
    Task<CodeView?> GetCode();
    /// <summary>
    /// The watch found a day without check-in; the person records it (idempotent per day). Unchanged when there was
    /// nothing to record, a failure when the miss could not be committed (the watch must not move past the day).
    /// </summary>
    Task<CommandResult> DayMissed(DateOnly day);
    /// <summary>The cell the person stays in, for authorisation; null when unknown.</summary>
    [AlwaysInterleave]
    Task<string?> CellOf();
}

/// <summary>The case a close contact was named by, and its county.</summary>
[GenerateSerializer, Immutable, Alias("epigrid.contact-of-case")]
public sealed record ContactOfCase([property: Id(0)] string CaseId, [property: Id(1)] string CaseCounty, [property: Id(2)] string CellId);

/// <summary>One row of a bulk arrivals import: the person's reference and the report.</summary>
[GenerateSerializer, Immutable, Alias("epigrid.imported-arrival")]
public sealed record ImportedArrival([property: Id(0)] string PersonRef, [property: Id(1)] ReportArrival Report);

/// <summary>
/// Bulk arrivals (stateless worker): decides a chunk of rows at once, registers the travellers with each cell in
/// one call per cell, commits the persons' events together (group commit), then tells the watches and the alert
/// ledger once per chunk. Answers one result per row, in order, only after the rows are committed.
/// </summary>
public interface IArrivalImportGrain : IGrainWithIntegerKey
{
    /// <remarks>A chunk of thousands of rows on a loaded machine can take longer than a grain call's usual 30 s.</remarks>
    [ResponseTimeout("00:05:00")]
    Task<IReadOnlyList<CommandResult>> Import(IReadOnlyList<ImportedArrival> rows);
}

/// <summary>
/// Watches a county's persons under quarantine (key: county code): raises a missed check-in for each local day
/// that ends without one, and a release task when a code turns green. Rebuilt from the store when it wakes, so a
/// restart loses no deadline.
/// </summary>
public interface IQuarantineWatchGrain : IGrainWithStringKey
{
    /// <summary>The person's watch changed (their code, their last check-in day).</summary>
    [OneWay]
    Task Track(WatchEntry entry);

    /// <summary>Many persons' watches changed at once (a bulk import).</summary>
    [OneWay]
    Task TrackMany(IReadOnlyList<WatchEntry> entries);

    /// <summary>Nothing but waking the watch (after a restart), so its deadlines run even if no person calls.</summary>
    [OneWay]
    Task Wake();

    /// <summary>The persons of a cell still owing today's check-in (under a red or yellow code), from memory.</summary>
    Task<CheckInsDue> DueIn(string cellId);
}

/// <summary>The local day, and the persons whose watch is not covered through it (oldest gap first).</summary>
[GenerateSerializer, Immutable, Alias("epigrid.check-ins-due")]
public sealed record CheckInsDue([property: Id(0)] DateOnly Today, [property: Id(1)] IReadOnlyList<WatchEntry> Persons);

/// <param name="CoveredThrough">Every day of the watch up to this one has a check-in or a recorded miss.</param>
[GenerateSerializer, Immutable, Alias("epigrid.watch-entry")]
public sealed record WatchEntry(
    [property: Id(0)] string PersonRef, [property: Id(1)] string CellId, [property: Id(2)] string Colour,
    [property: Id(3)] DateOnly CoveredThrough, [property: Id(4)] string MaskedId = "");

/// <summary>
/// A county's spatial screening (key: county code; issue 16): the county's colour history under the default rule set, and
/// the persons who stayed there within the last 14 days. When the county records a colour change that is red, orange or
/// yellow, each such person hears of it at once (<see cref="IPersonGrain.PlaceTurned"/>). Rebuilt from the store when it
/// wakes (the county's stream and the persons' records), so no visit is forgotten by a restart.
/// </summary>
public interface IPlaceScreeningGrain : IGrainWithStringKey
{
    /// <summary>The county's colours under the default rule set, oldest first.</summary>
    [AlwaysInterleave]
    Task<IReadOnlyList<ColourSpell>> Timeline();

    /// <summary>A person recorded stays here; <paramref name="seenVersion"/> is the newest spell they were screened against.</summary>
    [OneWay]
    Task Visited(string personRef, IReadOnlyList<Stay> stays, long seenVersion);

    /// <summary>The county recorded colour changes (any rule set), the first at <paramref name="firstVersion"/> of its stream.</summary>
    [OneWay]
    [Alias("F7B02F0F")] // the id this method had before the types of Grains.Interfaces moved (FormerWireNames)
    Task ColoursRecorded(IReadOnlyList<EpiGrid.Counties.CountyColourChanged> changes, long firstVersion);
}

/// <summary>
/// The progress of one asynchronous arrivals import (key: the import id), readable from any web host. The web host that
/// runs the import reports after each committed chunk, and at least every quarter of the lease in between; a running
/// job not heard of within its lease is failed (its web host died or lost the cluster). The record lives in memory only:
/// the imported rows are events in the store, and this is a view of a request's work in progress (see the grain).
/// </summary>
public interface IImportJobGrain : IGrainWithGuidKey
{
    /// <summary>Records the report (a report older than the one held only renews the lease); false once the job is over: stop.</summary>
    Task<bool> Report(ImportJobReport report);

    /// <summary>The job, failed if its lease has lapsed; null when this id is unknown (never started, or forgotten).</summary>
    Task<ImportJob?> Get();
}
