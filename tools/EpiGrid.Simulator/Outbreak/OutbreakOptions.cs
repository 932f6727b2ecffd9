namespace EpiGrid.Simulator.Outbreak;

/// <summary>What shapes an outbreak. The same options (seed included) always give the same reports.</summary>
public sealed record OutbreakOptions
{
    public long Seed { get; init; } = 2020;
    /// <summary>Length of the outbreak; the default two weeks end on the state published on 9 February 2020.</summary>
    public int Days { get; init; } = 14;
    /// <summary>Arrivals over the whole outbreak (Zhejiang registered hundreds of thousands in February 2020).</summary>
    public int Travellers { get; init; } = 300_000;
    /// <summary>Cells seeded by the platform (Seeding:Cells) and communities per town, so ids match the seeded cells.</summary>
    public int Cells { get; init; } = 85_000;
    public int CellsPerTown { get; init; } = 30;
    /// <summary>Daily check-ins of quarantined travellers: many reports, and no API takes them yet, so off by default.</summary>
    public bool CheckIns { get; init; }
    public double MissedCheckInRate { get; init; } = 0.04;
    /// <summary>
    /// Counties ending red, orange, yellow, blue, green: the counts published on 9 February 2020 (1/12/12/53/12).
    /// Each county's cases are drawn to land in its tier under the zhejiang-5 rule set.
    /// </summary>
    public IReadOnlyList<int> EndingTiers { get; init; } = [1, 12, 12, 53, 12];
}
