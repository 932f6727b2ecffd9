namespace EpiGrid.Resumption;

/// <summary>An enterprise as registered under a county, with its daily use in normal production.</summary>
[GenerateSerializer, Immutable, Alias("epigrid.enterprise")]
public sealed record Enterprise(
    [property: Id(0)] string Id,
    [property: Id(1)] string County,
    [property: Id(2)] string? CellId,
    [property: Id(3)] string Name,
    [property: Id(4)] string Industry,
    [property: Id(5)] double BaselineKwhPerDay);

/// <summary>One enterprise's electricity use on one local day.</summary>
[GenerateSerializer, Immutable, Alias("epigrid.electricity-reading")]
public sealed record ElectricityReading([property: Id(0)] string EnterpriseId, [property: Id(1)] DateOnly Day, [property: Id(2)] double Kwh);

/// <summary>Staff back at work on a local day, as the enterprise reported it.</summary>
[GenerateSerializer, Immutable, Alias("epigrid.staff-report")]
public sealed record StaffReport([property: Id(0)] string EnterpriseId, [property: Id(1)] DateOnly Day, [property: Id(2)] int StaffAtWork);

/// <summary>A reading not recorded; <paramref name="Index"/> is its position in the list sent.</summary>
[GenerateSerializer, Immutable, Alias("epigrid.reading-rejected")]
public sealed record ReadingRejected([property: Id(0)] int Index, [property: Id(1)] string Field, [property: Id(2)] string Reason);

/// <summary>What became of readings sent to a county. Returned only once the applied ones are committed.</summary>
[GenerateSerializer, Immutable, Alias("epigrid.readings-result")]
public sealed record ReadingsResult(
    [property: Id(0)] int Applied, [property: Id(1)] int Duplicates, [property: Id(2)] IReadOnlyList<ReadingRejected> Rejected);

/// <summary>One day of the map layer: the province, each city (by city code) and each county with readings.</summary>
[GenerateSerializer, Immutable, Alias("epigrid.resumption-map")]
public sealed record ResumptionMap(
    [property: Id(0)] ResumptionFigures Province,
    [property: Id(1)] IReadOnlyDictionary<string, ResumptionFigures> Cities,
    [property: Id(2)] IReadOnlyDictionary<string, ResumptionFigures> Counties);

/// <summary>A changed figure for the screens: scope "county", "city" or "province", and its code.</summary>
[GenerateSerializer, Immutable, Alias("epigrid.resumption-change")]
public sealed record ResumptionChange([property: Id(0)] string Scope, [property: Id(1)] string Code, [property: Id(2)] ResumptionFigures Figures)
{
    public const string CountyScope = "county", CityScope = "city", ProvinceScope = "province";
}
