using Orleans.Concurrency;
using EpiGrid.Platform;

namespace EpiGrid.Resumption;

/// <summary>A county's enterprises and their daily readings (key: county code); computes the county's index per day.</summary>
public interface IResumptionGrain : IGrainWithStringKey
{
    /// <summary>Registers enterprises of this county or changes their details, in one commit; a result for each.</summary>
    [Alias("2ED8D9E9")] // the id this method had before the types of Grains.Interfaces moved (FormerWireNames)
    Task<IReadOnlyList<CommandResult>> Register(IReadOnlyList<Enterprise> enterprises, Provenance by);

    /// <summary>Records readings once per enterprise and day: a repeat is a duplicate, a different value is rejected.</summary>
    [Alias("01E45799")] // the id this method had before the types of Grains.Interfaces moved (FormerWireNames)
    Task<ReadingsResult> Record(IReadOnlyList<ElectricityReading> readings, Provenance by);

    /// <summary>Records staff back at work: the same number again is a duplicate, another number replaces it.</summary>
    [Alias("474547E4")] // the id this method had before the types of Grains.Interfaces moved (FormerWireNames)
    Task<ReadingsResult> ReportStaff(IReadOnlyList<StaffReport> reports, Provenance by);

    Task<Enterprise?> GetEnterprise(string enterpriseId);

    /// <summary>
    /// The county's sums per day with readings, each with its industries; with <paramref name="knownAt"/>, as EpiGrid
    /// knew them then.
    /// </summary>
    Task<IReadOnlyDictionary<DateOnly, ResumptionTally>> Tallies(DateTimeOffset? knownAt);

    /// <summary>
    /// The county's figures for a day; null: the latest day with readings (today when there is none); with
    /// <paramref name="byIndustry"/>, each industry's too.
    /// </summary>
    Task<ResumptionFigures> Figures(DateOnly? day, bool byIndustry);

    /// <summary>
    /// The county's figures for each day with readings within [from, to]; with <paramref name="knownAt"/>, as EpiGrid
    /// knew them then (replayed from the county's stream: readings, baselines and industries recorded by that moment).
    /// </summary>
    Task<IReadOnlyList<ResumptionFigures>> History(DateOnly from, DateOnly to, DateTimeOffset? knownAt, bool byIndustry);
}

/// <summary>The province's and cities' index (key 0), summed from the counties' tallies; raises lag alerts.</summary>
public interface IProvinceResumptionGrain : IGrainWithIntegerKey
{
    [OneWay]
    Task CountyChanged(string county, IReadOnlyDictionary<DateOnly, ResumptionTally> days);

    /// <summary>
    /// The map layer for a day; null: the latest day with readings. With <paramref name="byIndustry"/>, the province's
    /// figures carry each industry's (cities and counties do not).
    /// </summary>
    Task<ResumptionMap> Map(DateOnly? day, bool byIndustry);

    /// <summary>
    /// The province's figures for each day with readings within [from, to]; with <paramref name="knownAt"/>, summed
    /// from every county's tallies as it knew them then (each replays its own stream, as its history does).
    /// </summary>
    Task<IReadOnlyList<ResumptionFigures>> History(DateOnly from, DateOnly to, DateTimeOffset? knownAt, bool byIndustry);
}

/// <summary>Which county each enterprise is registered under (key 0): lets a bulk upload be split by county.</summary>
public interface IEnterpriseDirectoryGrain : IGrainWithIntegerKey
{
    /// <summary>The county of each id, in order; null for an id never registered.</summary>
    [ReadOnly]
    Task<IReadOnlyList<string?>> CountiesOf(IReadOnlyList<string> enterpriseIds);

    Task Learn(IReadOnlyList<Enterprise> registered);
}
