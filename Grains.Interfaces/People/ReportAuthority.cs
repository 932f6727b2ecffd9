using EpiGrid.Geography;

namespace EpiGrid.People;

/// <summary>
/// Where a reporter's word moves people: the cells whose residents a report may move away or re-code. Issue 14: a
/// grid worker who knows someone's identity number could report them as arriving in their own cell and so take
/// them over (learn their code's reasons, re-code them red). A report about a person on record in a cell outside
/// this reach is recorded, not applied. The web host derives it from the caller's jurisdiction (WebHost/Auth).
/// </summary>
/// <param name="Everywhere">Source systems (their records are where people are) and admins.</param>
/// <param name="County">A county official's county.</param>
/// <param name="Cells">A grid worker's cells.</param>
[GenerateSerializer, Immutable, Alias("epigrid.report-authority")]
public sealed record ReportAuthority(
    [property: Id(0)] bool Everywhere, [property: Id(1)] string? County, [property: Id(2)] IReadOnlyList<string> Cells)
{
    public static readonly ReportAuthority All = new(true, null, []);
    /// <summary>No person on record may be moved: only people new to the platform are registered.</summary>
    public static readonly ReportAuthority NewPersonsOnly = new(false, null, []);

    /// <summary>Whether a person on record in <paramref name="cellId"/> (null: not on record) may be moved or re-coded.</summary>
    public bool Covers(string? cellId) =>
        cellId is null || Everywhere || (County is not null && Province.CountyOfCell(cellId) == County) || Cells.Contains(cellId);
}
