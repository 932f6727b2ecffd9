namespace EpiGrid.Grains.Counties;

/// <summary>How often counties look at the clock and at the store (section "Counties").</summary>
public sealed record CountyOptions
{
    public const string Section = "Counties";
    /// <summary>Re-evaluate colours this often, so a county turns green after 14 quiet days with no event arriving.</summary>
    public TimeSpan EvaluationInterval { get; init; } = TimeSpan.FromMinutes(1);
    /// <summary>
    /// Re-read the whole county from the store this often regardless, as a backstop: the province's refresh already
    /// compares every county with the store (<see cref="CountyRecords.VersionSums"/>).
    /// </summary>
    public TimeSpan ReconcileInterval { get; init; } = TimeSpan.FromMinutes(15);
    /// <summary>A quiet county evaluates a change at once; changes within this delay of an evaluation wait and go together.</summary>
    public TimeSpan EvaluationDelay { get; init; } = TimeSpan.FromMilliseconds(100);
    public int BusiestCells { get; init; } = 10;
}
