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
    /// <summary>
    /// Reconcile reads (a few hundred cells' rows and cases each) in flight at once in a silo. A silo that starts over a
    /// long history wakes all its counties together; unbounded, each held a read's records at the same moment and the
    /// start's memory peaked far above the live state (issue 18). A county repairing one cell after a missed message
    /// does not wait for this.
    /// </summary>
    public int ConcurrentReconcileReads { get; init; } = 4;
}
