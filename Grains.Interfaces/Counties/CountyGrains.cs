namespace EpiGrid.Counties;

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
