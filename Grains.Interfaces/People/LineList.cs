using EpiGrid.Cells;

namespace EpiGrid.People;

// The line list (issue 17): cases one per line, as epidemiologists open them first.

/// <summary>
/// Which cases a line list holds: a county (null: the province), and any of kind, status, occurrence between
/// <see cref="From"/> and <see cref="To"/>, cell, cluster, and whether a source is known (<see cref="Linked"/>: an infecting
/// case or a cluster). A page is up to <see cref="Limit"/> cases whose key comes after <see cref="After"/>.
/// </summary>
[GenerateSerializer, Immutable, Alias("epigrid.case-list-query")]
public sealed record CaseListQuery(
    [property: Id(0)] string? County, [property: Id(1)] CaseKind? Kind, [property: Id(2)] CaseStatus? Status,
    [property: Id(3)] DateTimeOffset? From, [property: Id(4)] DateTimeOffset? To, [property: Id(5)] string? CellId,
    [property: Id(6)] string? ClusterId, [property: Id(7)] bool? Linked, [property: Id(8)] string? After, [property: Id(9)] int Limit)
{
    /// <summary>Whether the case of <paramref name="key"/> ("county:caseId") in <paramref name="county"/> is on the list (in memory).</summary>
    public bool Matches(string key, string county, CaseFact c) =>
        (County is null || county == County) && (Kind is null || c.Kind == Kind) && (Status is null || c.Status == Status)
        && (From is null || c.OccurredAt >= From) && (To is null || c.OccurredAt <= To) && (CellId is null || c.CellId == CellId)
        && (ClusterId is null || c.ClusterId == ClusterId) && (Linked is null || c.Linked == Linked)
        && (After is null || string.CompareOrdinal(key, After) > 0);
}

/// <summary>
/// One case of a line list, its columns in the order of the CSV (<see cref="CaseId"/> first). <see cref="Linked"/>: a source
/// is known (an infecting case or a cluster). <see cref="MaskedId"/> is the person's masked identity number when the case
/// names a person.
/// </summary>
[GenerateSerializer, Immutable, Alias("epigrid.case-line")]
public sealed record CaseLine(
    [property: Id(1)] string CaseId, [property: Id(2)] string County, [property: Id(3)] string CellId,
    [property: Id(4)] string Kind, [property: Id(5)] string Status, [property: Id(6)] bool Local, [property: Id(7)] DateTimeOffset OccurredAt,
    [property: Id(8)] DateTimeOffset? StatusAt, [property: Id(9)] string? ClusterId, [property: Id(10)] string? InfectedBy,
    [property: Id(11)] bool Linked, [property: Id(12)] string? MaskedId,
    // When the symptoms began, when the report gave it (the last column: added after the others).
    [property: Id(13)] DateTimeOffset? OnsetAt = null);

/// <summary>
/// A page of a line list; <see cref="NextKey"/> is the key ("county:caseId", case ids being a county's own) the next page
/// starts after, null on the last. Lists are in key order.
/// </summary>
[GenerateSerializer, Immutable, Alias("epigrid.case-list-page")]
public sealed record CaseListPage([property: Id(0)] IReadOnlyList<CaseLine> Items, [property: Id(1)] string? NextKey);
