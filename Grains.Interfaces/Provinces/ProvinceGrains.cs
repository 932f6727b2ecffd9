namespace EpiGrid.Provinces;

/// <summary>The province (key: 0): every county's latest state, for the map.</summary>
public interface IProvinceGrain : IGrainWithIntegerKey
{
    Task<ProvinceView> GetView();
}
