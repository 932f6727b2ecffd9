namespace EpiGrid.Cells;

/// <summary>How far a cell is shut (issue 17): open, controlled (entry and exit checked) or closed (no one in or out).</summary>
public enum ControlLevel { Open, Controlled, Closed }

/// <summary>
/// A cell's control as last decided by a county official, folded from <c>CellControlChanged</c> by <see cref="CellState"/>.
/// A control with <see cref="Until"/> lapses at that moment: it is judged at read time (<see cref="InForceAt"/>), so the
/// live county, the cell's view and a replay as of any moment agree without a timer or a second event.
/// </summary>
[GenerateSerializer, Immutable, Alias("epigrid.cell-control")]
public sealed record CellControl(
    [property: Id(0)] ControlLevel Level,
    [property: Id(1)] string Reason,
    [property: Id(2)] DateTimeOffset Since,
    [property: Id(3)] DateTimeOffset? Until,
    [property: Id(4)] string By,
    // How many control decisions the cell has had, this one included: the alert's id derives from it.
    [property: Id(5)] int Revision)
{
    public bool InForceAt(DateTimeOffset at) => Level != ControlLevel.Open && (Until is null || at < Until);

    public ControlLevel LevelAt(DateTimeOffset at) => InForceAt(at) ? Level : ControlLevel.Open;
}

/// <summary>How many of a county's cells are closed and controlled at a moment: the one count live and replay share.</summary>
[GenerateSerializer, Immutable, Alias("epigrid.cell-control-counts")]
public sealed record CellControlCounts([property: Id(0)] int Closed, [property: Id(1)] int Controlled)
{
    public static readonly CellControlCounts None = new(0, 0);

    public static CellControlCounts At(IEnumerable<CellControl?> controls, DateTimeOffset at)
    {
        int closed = 0, controlled = 0;
        foreach (var control in controls)
        {
            switch (control?.LevelAt(at))
            {
                case ControlLevel.Closed: closed++; break;
                case ControlLevel.Controlled: controlled++; break;
            }
        }
        return closed + controlled == 0 ? None : new(closed, controlled);
    }
}

/// <summary>Wire names of the control levels ("closed", "controlled", "open").</summary>
public static class ControlLevels
{
    public static readonly IReadOnlyList<string> Names = ["closed", "controlled", "open"];

    public static string Name(this ControlLevel level) => level.ToString().ToLowerInvariant();

    public static ControlLevel Parse(string name) => name switch
    {
        "closed" => ControlLevel.Closed,
        "controlled" => ControlLevel.Controlled,
        "open" => ControlLevel.Open,
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "Not a control level"),
    };
}
