namespace EpiGrid.Contracts;

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

/// <summary>A county (key: division code): aggregates its cells' cases and computes its colours.</summary>
public interface ICountyGrain : IGrainWithStringKey
{
    Task<CountyView> GetView();

    /// <summary>Re-reads the county's cases from the event store, so lost stream messages cannot leave it wrong.</summary>
    Task Reconcile();

    /// <summary>
    /// The county's view, after comparing it with what the store holds: <paramref name="storedVersionSum"/> is the sum
    /// of the county's cell stream versions in the store. Behind it at two checks in a row, the county reconciles.
    /// </summary>
    Task<CountyView> Verify(long storedVersionSum);
}

/// <summary>The province (key: 0): every county's latest state, for the map.</summary>
public interface IProvinceGrain : IGrainWithIntegerKey
{
    Task<ProvinceView> GetView();
}

/// <summary>Names of the Orleans streams cells and counties publish on.</summary>
public static class StreamNames
{
    public const string Provider = "epigrid";
    /// <summary>Cells publish into their county's stream (id: county code): one stream per county, not per cell.</summary>
    public const string CellChanges = "cell-changes";
    /// <summary>Counties publish into the province's stream (id: "province").</summary>
    public const string CountyChanges = "county-changes";
}

/// <summary>What a cell tells its county after a commit: the latest facts of the cases it touched.</summary>
[GenerateSerializer, Immutable, Alias("epigrid.cell-changed")]
public sealed record CellChanged(
    [property: Id(0)] string CellId,
    [property: Id(1)] long Version,
    [property: Id(2)] IReadOnlyList<CaseFact> Cases,
    [property: Id(3)] int Travellers,
    /// <summary>The cell's version before this change, so a county can notice a message it missed.</summary>
    [property: Id(4)] long PreviousVersion,
    /// <summary>The cell's control as last decided (null: never controlled); the county judges whether it is in force.</summary>
    [property: Id(5)] CellControl? Control = null);
