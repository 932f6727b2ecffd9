using EpiGrid.Platform;

namespace EpiGrid.Cells;

/// <summary>A grid cell (key: cell id, e.g. 330782-004-017): its cases and travellers, rebuilt from its event stream.</summary>
public interface ICellGrain : IGrainWithStringKey
{
    /// <summary>Runs commands in order; each result is returned only once its events are committed.</summary>
    Task<IReadOnlyList<CommandResult>> Execute(IReadOnlyList<CellCommand> commands);

    /// <summary>The cell's state, or null when the cell was never registered.</summary>
    Task<CellView?> GetView();

    /// <summary>Whether the cell was registered: a check without its (possibly long) lists.</summary>
    Task<bool> IsRegistered();
}
