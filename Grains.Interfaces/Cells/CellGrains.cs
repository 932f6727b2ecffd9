using EpiGrid.Platform;

namespace EpiGrid.Cells;

/// <summary>A grid cell (key: cell id, e.g. 330782-004-017): its cases and travellers, rebuilt from its event stream.</summary>
[Alias("EpiGrid.Contracts.ICellGrain")] // its name before it moved to Cells/ (FormerWireNames)
public interface ICellGrain : IGrainWithStringKey
{
    /// <summary>Runs commands in order; each result is returned only once its events are committed.</summary>
    [Alias("A05D8E0F")] // the id this method had before the types of Grains.Interfaces moved (FormerWireNames)
    Task<IReadOnlyList<CommandResult>> Execute(IReadOnlyList<CellCommand> commands);

    /// <summary>The cell's state, or null when the cell was never registered.</summary>
    [Alias("75E37E62")] // the id this method had before the types of Grains.Interfaces moved (FormerWireNames)
    Task<CellView?> GetView();

    /// <summary>Whether the cell was registered: a check without its (possibly long) lists.</summary>
    [Alias("CA67AEE3")] // the id this method had before the types of Grains.Interfaces moved (FormerWireNames)
    Task<bool> IsRegistered();
}
