using EpiGrid.Cells;

namespace EpiGrid.Counties.Rules;

/// <summary>Everything a colour rule may look at: the county's cases at a moment, in the province's local time.</summary>
/// <param name="UtcOffset">The province's offset from UTC; calendar days ("14 quiet days") are counted in local time.</param>
/// <param name="Settled">Cases before the window as of <paramref name="Now"/> or earlier, kept as counts (the live county's
/// <see cref="CountyCaseBook.Settled"/>); counted as if they were among <paramref name="Cases"/>.</param>
public sealed record CountySnapshot(
    string County,
    int Population,
    IReadOnlyCollection<CaseFact> Cases,
    DateTimeOffset Now,
    TimeSpan UtcOffset,
    SettledCases? Settled = null);
