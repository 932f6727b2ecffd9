namespace EpiGrid.Simulator.Outbreak;

/// <summary>What shapes an outbreak. The same options (seed included) always give the same reports.</summary>
public sealed record OutbreakOptions
{
    public long Seed { get; init; } = 2020;
    /// <summary>Length of the outbreak from 21 January 2020; the default 38 days end on 27 February, the last map of February.</summary>
    public int Days { get; init; } = 38;
    /// <summary>Arrivals over the whole outbreak (Zhejiang registered hundreds of thousands in February 2020).</summary>
    public int Travellers { get; init; } = 300_000;
    /// <summary>Cells seeded by the platform (Seeding:Cells) and communities per town, so ids match the seeded cells.</summary>
    public int Cells { get; init; } = 85_000;
    public int CellsPerTown { get; init; } = 30;
    /// <summary>Daily check-ins of quarantined travellers: many reports, and no API takes them yet, so off by default.</summary>
    public bool CheckIns { get; init; }
    public double MissedCheckInRate { get; init; } = 0.04;
    /// <summary>
    /// How unevenly a city's cases fall on its counties: each county's share is its population times e^(σ·z), z drawn
    /// once per county from a standard normal. Calibrated (docs/rules.md) so that the rules, not the simulator, give
    /// colour counts close to the published maps.
    /// </summary>
    public double CountyConcentration { get; init; } = 1.0;
}
