using EpiGrid.Cells;
using EpiGrid.Counties.Rules;

namespace EpiGrid.Counties;

/// <summary>One cell's weight in its county, for "busiest cells first".</summary>
[GenerateSerializer, Immutable, Alias("epigrid.cell-activity")]
public sealed record CellActivity(
    [property: Id(0)] string CellId, [property: Id(1)] int ActiveCases, [property: Id(2)] int ConfirmedTotal,
    [property: Id(3)] int Travellers);

/// <summary>A cell of a county under a control in force.</summary>
[GenerateSerializer, Immutable, Alias("epigrid.controlled-cell")]
public sealed record ControlledCell([property: Id(0)] string CellId, [property: Id(1)] CellControl Control);

/// <summary>A county's live state: its figures and its colour under every rule set.</summary>
[GenerateSerializer, Immutable, Alias("epigrid.county-view")]
public sealed record CountyView(
    [property: Id(0)] string Code,
    [property: Id(1)] CountyIndicators Indicators,
    [property: Id(2)] int Travellers,
    [property: Id(3)] IReadOnlyDictionary<string, ColourDecision> Colours,
    [property: Id(4)] string DefaultRuleSet,
    [property: Id(5)] DateTimeOffset EvaluatedAt,
    [property: Id(6)] IReadOnlyList<CellActivity> BusiestCells,
    // How many of the county's cells are closed and controlled at EvaluatedAt (issue 17).
    [property: Id(7)] CellControlCounts? CellControls = null,
    // Which cells, with their control (the live county's single view only, as BusiestCells).
    [property: Id(8)] IReadOnlyList<ControlledCell>? ControlledCells = null)
{
    public CellControlCounts Controls => CellControls ?? CellControlCounts.None;
}
