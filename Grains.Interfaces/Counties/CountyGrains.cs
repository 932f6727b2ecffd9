namespace EpiGrid.Counties;

/// <summary>A county (key: division code): aggregates its cells' cases and computes its colours.</summary>
[Alias("EpiGrid.Contracts.ICountyGrain")] // its name before it moved to Counties/ (FormerWireNames)
public interface ICountyGrain : IGrainWithStringKey
{
    [Alias("05EA6963")] // the id this method had before the types of Grains.Interfaces moved (FormerWireNames)
    Task<CountyView> GetView();

    /// <summary>Re-reads the county's cases from the event store, so lost stream messages cannot leave it wrong.</summary>
    [Alias("B1AA0314")] // the id this method had before the types of Grains.Interfaces moved (FormerWireNames)
    Task Reconcile();

    /// <summary>
    /// The county's view, after comparing it with what the store holds: <paramref name="storedVersionSum"/> is the sum
    /// of the county's cell stream versions in the store. Behind it at two checks in a row, the county reconciles.
    /// </summary>
    [Alias("A0FD69C2")] // the id this method had before the types of Grains.Interfaces moved (FormerWireNames)
    Task<CountyView> Verify(long storedVersionSum);
}
