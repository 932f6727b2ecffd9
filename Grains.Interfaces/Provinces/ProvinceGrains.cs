namespace EpiGrid.Provinces;

/// <summary>The province (key: 0): every county's latest state, for the map.</summary>
[Alias("EpiGrid.Contracts.IProvinceGrain")] // its name before it moved to Provinces/ (FormerWireNames)
public interface IProvinceGrain : IGrainWithIntegerKey
{
    [Alias("B2C918D4")] // the id this method had before the types of Grains.Interfaces moved (FormerWireNames)
    Task<ProvinceView> GetView();
}
