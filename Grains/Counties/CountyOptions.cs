namespace EpiGrid.Grains.Counties;

/// <summary>How often counties look at the clock and at the store (section "Counties").</summary>
public sealed record CountyOptions
{
    public const string Section = "Counties";
    /// <summary>Re-evaluate colours this often, so a county turns green after 14 quiet days with no event arriving.</summary>
    public TimeSpan EvaluationInterval { get; init; } = TimeSpan.FromMinutes(1);
    /// <summary>Re-read the county from the store this often, so lost stream messages cannot leave it wrong for long.</summary>
    public TimeSpan ReconcileInterval { get; init; } = TimeSpan.FromMinutes(1);
    /// <summary>A quiet county evaluates a change at once; changes within this delay of an evaluation wait and go together.</summary>
    public TimeSpan EvaluationDelay { get; init; } = TimeSpan.FromMilliseconds(100);
    public int BusiestCells { get; init; } = 10;
}
