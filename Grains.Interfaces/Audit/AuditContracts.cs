using EpiGrid.Counties;

namespace EpiGrid.Audit;

/// <summary>Which time an audit filter reads: when it happened in the world, or when EpiGrid recorded it.</summary>
public enum TimeAxis { Occurred, Recorded }

/// <summary>
/// A filter over the stored events, already checked: one stream, a county's streams (its county stream and its cells'),
/// a person (case or traveller id), kinds, and a time window [from, to) on either axis. Null parts do not filter.
/// </summary>
[GenerateSerializer, Immutable, Alias("epigrid.event-filter")]
public sealed record EventFilter(
    [property: Id(0)] string? Stream,
    [property: Id(1)] string? County,
    [property: Id(2)] string? Person,
    [property: Id(3)] IReadOnlyList<string>? Kinds,
    [property: Id(4)] DateTimeOffset? From,
    [property: Id(5)] DateTimeOffset? To,
    [property: Id(6)] TimeAxis Axis);

/// <summary>One event as stored: its place in the history, its stored name, its JSON as text and when it was stored.</summary>
[GenerateSerializer, Immutable, Alias("epigrid.stored-row")]
public sealed record StoredRow(
    [property: Id(0)] long Seq, [property: Id(1)] string Stream, [property: Id(2)] long Version, [property: Id(3)] string Kind,
    [property: Id(4)] string Data, [property: Id(5)] DateTimeOffset StoredAt);

[GenerateSerializer, Immutable, Alias("epigrid.colour-at")]
/// <param name="RuleVersion">The version of the rule set that decided this colour (the one in force that day, or the one asked for).</param>
public sealed record ColourAt([property: Id(0)] DateTimeOffset At, [property: Id(1)] string Level, [property: Id(2)] string Colour,
    [property: Id(3)] string RuleVersion);

[GenerateSerializer, Immutable, Alias("epigrid.what-if-response")]
public sealed record WhatIfResponse(
    [property: Id(0)] string RuleSet, [property: Id(1)] string RuleVersion, [property: Id(2)] DateTimeOffset From,
    [property: Id(3)] DateTimeOffset To, [property: Id(4)] DateTimeOffset KnownAt,
    [property: Id(5)] IReadOnlyDictionary<string, IReadOnlyList<ColourAt>> Counties);

[GenerateSerializer, Immutable, Alias("epigrid.input-event")]
public sealed record InputEvent(
    [property: Id(0)] long Seq, [property: Id(1)] string Stream, [property: Id(2)] long Version, [property: Id(3)] string Kind,
    [property: Id(4)] string Actor, [property: Id(5)] string Source, [property: Id(6)] DateTimeOffset OccurredAt,
    [property: Id(7)] DateTimeOffset RecordedAt, [property: Id(8)] object Data);

[GenerateSerializer, Immutable, Alias("epigrid.decision-at")]
public sealed record DecisionAt(
    [property: Id(0)] DateTimeOffset At, [property: Id(1)] string Level, [property: Id(2)] string Colour,
    [property: Id(3)] IReadOnlyDictionary<string, double> Inputs);

/// <summary>
/// Why a county had a colour: the decision (rule set, version, reasons, inputs), since when it held, what it was
/// before, and what moved the inputs across the threshold: the events applied at that moment, or, when there are
/// none, a new version of the rule set taking effect that day ("rules"), or else the calendar ("time": a quiet-day
/// count or a 7- or 14-day window moved at midnight). <see cref="Recorded"/> is the colour
/// change the live county recorded for this rule set, with its own explanation, as it was known then.
/// </summary>
[GenerateSerializer, Immutable, Alias("epigrid.colour-explanation")]
public sealed record ColourExplanation(
    [property: Id(0)] string County, [property: Id(1)] string RuleSet, [property: Id(2)] string RuleVersion,
    [property: Id(3)] DateTimeOffset At, [property: Id(4)] DateTimeOffset KnownAt,
    [property: Id(5)] string Level, [property: Id(6)] string Colour, [property: Id(7)] IReadOnlyList<string> Reasons,
    [property: Id(8)] IReadOnlyDictionary<string, double> Inputs,
    [property: Id(9)] DateTimeOffset? Since, [property: Id(10)] DecisionAt? Before, [property: Id(11)] string MovedBy,
    [property: Id(12)] IReadOnlyList<InputEvent> Events, [property: Id(13)] CountyColourChanged? Recorded);

[GenerateSerializer, Immutable, Alias("epigrid.chain-break")]
public sealed record ChainBreak([property: Id(0)] string Stream, [property: Id(1)] long Version, [property: Id(2)] string Reason);

[GenerateSerializer, Immutable, Alias("epigrid.verify-response")]
public sealed record VerifyResponse(
    [property: Id(0)] bool Ok, [property: Id(1)] long CheckedEvents, [property: Id(2)] int CheckedDigests,
    [property: Id(3)] IReadOnlyList<ChainBreak> Breaks);

/// <summary>One province digest as an auditor exports it. <c>Statement</c> is the signed text; a verifier reads the values from it.</summary>
[GenerateSerializer, Immutable, Alias("epigrid.exported-digest")]
public sealed record ExportedDigest(
    [property: Id(0)] long UptoSeq, [property: Id(1)] long FromSeq, [property: Id(2)] long Events, [property: Id(3)] string PrevDigest,
    [property: Id(4)] string Digest, [property: Id(5)] DateTime TakenAt, [property: Id(6)] string? KeyId,
    [property: Id(7)] string? PublicKey, [property: Id(8)] string? Signature, [property: Id(9)] string Statement);

[GenerateSerializer, Immutable, Alias("epigrid.digest-file")]
public sealed record DigestFile([property: Id(0)] string Format, [property: Id(1)] IReadOnlyList<ExportedDigest> Digests)
{
    public const string CurrentFormat = "epigrid-province-digests/1";
}

/// <summary>A digest of an exported file, read and checked, to fold again from the chain's hashes in (From, Upto].</summary>
[GenerateSerializer, Immutable, Alias("epigrid.digest-claim")]
public sealed record CheckedDigestClaim(
    [property: Id(0)] long Upto, [property: Id(1)] long From, [property: Id(2)] long Events, [property: Id(3)] byte[] Prev,
    [property: Id(4)] byte[] Digest);

/// <summary>New confirmed cases per local day of occurrence (each case by its latest fact: one later ruled out is not counted).</summary>
[GenerateSerializer, Immutable, Alias("epigrid.daily-count")]
public sealed record DailyCount([property: Id(0)] DateOnly Day, [property: Id(1)] int Count);

/// <summary>
/// A heavy history read stopped by its bound (PostgreSQL's statement timeout, set from the caller's HeavyReads policy),
/// not by a fault: the caller answers 503 and suggests narrowing the read.
/// </summary>
[GenerateSerializer, Alias("epigrid.history-read-timed-out")]
public sealed class HistoryReadTimedOutException(string message) : Exception(message);
