namespace EpiGrid.Cells;

/// <summary>How a case was classified when reported (China counted asymptomatic infections apart from confirmed cases).</summary>
public enum CaseKind { Confirmed, Suspected, Asymptomatic }

/// <summary>Where a case stands now. A ruled-out case no longer counts anywhere.</summary>
public enum CaseStatus { Active, Hospitalised, Recovered, Died, RuledOut }

/// <summary>
/// One case as the county sees it: the latest fact about it. <see cref="Version"/> is the position of the
/// cell stream event that produced this fact, so applying facts is an idempotent, order-insensitive upsert.
/// <see cref="Status"/> is the status that occurred last in the world (<see cref="StatusAt"/>; null: as reported),
/// whatever order the reports arrived in, so the live cell and a replay in the world's order agree.
/// </summary>
[GenerateSerializer, Immutable, Alias("epigrid.case-fact")]
public sealed record CaseFact(
    [property: Id(0)] string CaseId,
    [property: Id(1)] string CellId,
    [property: Id(2)] CaseKind Kind,
    [property: Id(3)] bool Local,
    [property: Id(4)] string? ClusterId,
    [property: Id(5)] DateTimeOffset OccurredAt,
    [property: Id(6)] CaseStatus Status,
    [property: Id(7)] long Version,
    [property: Id(8)] DateTimeOffset? StatusAt = null,
    // The case that infected this one, when known (issue 16: transmission chains); a case id of the same county, or of
    // another county where that id is unique.
    [property: Id(9)] string? InfectedBy = null,
    // When the symptoms began, when the report gave it (issue 17).
    [property: Id(10)] DateTimeOffset? OnsetAt = null)
{
    /// <summary>A known source: the infecting case or a cluster.</summary>
    public bool Linked => InfectedBy is not null || ClusterId is not null;

    /// <summary>Counts as a confirmed case: confirmed and not ruled out.</summary>
    public bool IsConfirmed => Kind == CaseKind.Confirmed && Status != CaseStatus.RuledOut;
}

/// <summary>Wire names of the case vocabulary ("confirmed", "ruled-out", ...), shared by HTTP and storage.</summary>
public static class CaseVocabulary
{
    public static string Name(this CaseKind kind) => kind.ToString().ToLowerInvariant();

    public static string Name(this CaseStatus status) => status switch
    {
        CaseStatus.RuledOut => "ruled-out",
        _ => status.ToString().ToLowerInvariant(),
    };

    public static bool TryParseKind(string? text, out CaseKind kind) =>
        Enum.TryParse(Normalise(text), ignoreCase: true, out kind) && Enum.IsDefined(kind) && !IsNumeric(text);

    public static bool TryParseStatus(string? text, out CaseStatus status) =>
        Enum.TryParse(Normalise(text), ignoreCase: true, out status) && Enum.IsDefined(status) && !IsNumeric(text);

    public const string Kinds = "confirmed, suspected, asymptomatic";
    public const string Statuses = "active, hospitalised, recovered, died, ruled-out";

    static string Normalise(string? text) =>
        (text ?? "").Replace("-", "").Replace("_", "").Replace(" ", "").Trim();

    static bool IsNumeric(string? text) => text is not null && text.Trim().All(char.IsAsciiDigit);
}
