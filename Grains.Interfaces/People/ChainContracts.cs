namespace EpiGrid.People;

// Where cases are and how they are linked (issue 16): the answers of the case register's reads.

/// <summary>Where a case is: its county and cell (case ids are a county's own, so one id may name cases in several counties).</summary>
[GenerateSerializer, Immutable, Alias("epigrid.case-location")]
public sealed record CaseLocation([property: Id(0)] string County, [property: Id(1)] string CellId);

/// <summary>A case in a chain or a cluster: where, what, and the person's masked identity when the case names one.</summary>
[GenerateSerializer, Immutable, Alias("epigrid.case-node")]
public sealed record CaseNode(
    [property: Id(0)] string Key, [property: Id(1)] string CaseId, [property: Id(2)] string County, [property: Id(3)] string CellId,
    [property: Id(4)] string Kind, [property: Id(5)] string Status, [property: Id(6)] DateTimeOffset OccurredAt,
    [property: Id(7)] string? ClusterId, [property: Id(8)] string? InfectedBy, [property: Id(9)] string? MaskedId);

/// <summary>A close contact of a case in a chain: the person, masked, where they stay and when the contact was.</summary>
[GenerateSerializer, Immutable, Alias("epigrid.contact-node")]
public sealed record ContactNode(
    [property: Id(0)] string PersonRef, [property: Id(1)] string MaskedId, [property: Id(2)] string CellId, [property: Id(3)] string County,
    [property: Id(4)] DateTimeOffset LastContactAt, [property: Id(5)] string Setting, [property: Id(6)] string CaseKey,
    // 1: a close contact of the case; 2: a contact of the close contact ContactOf (次密接).
    [property: Id(7)] int Degree = 1, [property: Id(8)] string? ContactOf = null);

/// <summary>
/// "infected" from the infecting case to the case it infected (by their keys), "contact" from a case to a person,
/// "secondary-contact" from a close contact (person reference) to their contact.
/// </summary>
[GenerateSerializer, Immutable, Alias("epigrid.chain-edge")]
public sealed record ChainEdge([property: Id(0)] string From, [property: Id(1)] string To, [property: Id(2)] string Kind);

/// <summary>A case with the cases upstream (who infected whom, up to the first known) and downstream, and its close contacts.</summary>
[GenerateSerializer, Immutable, Alias("epigrid.case-chain")]
public sealed record CaseChain(
    [property: Id(0)] CaseNode Case, [property: Id(1)] IReadOnlyList<CaseNode> Ancestors, [property: Id(2)] IReadOnlyList<CaseNode> Descendants,
    [property: Id(3)] IReadOnlyList<ContactNode> Contacts, [property: Id(4)] IReadOnlyList<ChainEdge> Edges);

[GenerateSerializer, Immutable, Alias("epigrid.cluster-view")]
public sealed record ClusterView(
    [property: Id(0)] string ClusterId, [property: Id(1)] IReadOnlyList<CaseNode> Cases, [property: Id(2)] IReadOnlyList<string> Cells,
    [property: Id(3)] IReadOnlyList<string> Counties, [property: Id(4)] DateTimeOffset FirstReport, [property: Id(5)] DateTimeOffset LastReport);
