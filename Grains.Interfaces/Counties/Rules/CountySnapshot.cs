using EpiGrid.Cells;

namespace EpiGrid.Counties.Rules;

/// <summary>Everything a colour rule may look at: the county's cases at a moment, in the province's local time.</summary>
/// <param name="UtcOffset">The province's offset from UTC; calendar days ("14 quiet days") are counted in local time.</param>
public sealed record CountySnapshot(
    string County,
    int Population,
    IReadOnlyCollection<CaseFact> Cases,
    DateTimeOffset Now,
    TimeSpan UtcOffset);
