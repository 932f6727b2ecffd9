namespace EpiGrid.Geography;

/// <summary>A county-level division as the reference data describes it.</summary>
[GenerateSerializer, Immutable, Alias("epigrid.county")]
public sealed record County(
    [property: Id(0)] string Code,
    [property: Id(1)] string NameZh,
    [property: Id(2)] string NameEn,
    [property: Id(3)] string Level,
    [property: Id(4)] string CityCode,
    [property: Id(5)] string CityZh,
    [property: Id(6)] string CityEn,
    [property: Id(7)] int Population,
    [property: Id(8)] double Lon,
    [property: Id(9)] double Lat);
