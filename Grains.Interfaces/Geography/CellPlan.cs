namespace EpiGrid.Geography;

/// <summary>Options of the seeded province (section "Seeding").</summary>
public sealed record SeedingOptions
{
    public const string Section = "Seeding";
    /// <summary>Grid cells to seed on an empty store (Zhejiang had about 85,000); 0 seeds nothing.</summary>
    public int Cells { get; init; } = 85_000;
    /// <summary>Communities per street/town: the middle part of a cell id.</summary>
    public int CellsPerTown { get; init; } = 30;
    public int RandomSeed { get; init; } = 2020;
}

/// <summary>A seeded cell: id, name and household count.</summary>
public sealed record PlannedCell(string CellId, string County, string Name, int Households);

/// <summary>Spreads cells over counties in proportion to population (largest remainder, at least one each).</summary>
public static class CellPlan
{
    public static IReadOnlyDictionary<string, int> CountsPerCounty(IReadOnlyList<County> counties, int total)
    {
        if (total <= 0) return counties.ToDictionary(c => c.Code, _ => 0);
        var population = counties.Sum(c => (double)c.Population);
        var free = total - counties.Count;
        var shares = counties.Select(c => (c.Code, Exact: Math.Max(0, free) * (double)c.Population / population)).ToList();
        var counts = shares.ToDictionary(s => s.Code, s => 1 + (int)Math.Floor(s.Exact));
        var left = total - counts.Values.Sum();
        foreach (var s in shares.OrderByDescending(s => s.Exact - Math.Floor(s.Exact)).ThenBy(s => s.Code).Take(Math.Max(0, left)))
            counts[s.Code]++;
        return counts;
    }

    public static IEnumerable<PlannedCell> CellsOf(County county, int count, SeedingOptions options)
    {
        var random = new Random(HashCode.Combine(options.RandomSeed, int.Parse(county.Code)));
        for (var i = 0; i < count; i++)
        {
            var town = i / options.CellsPerTown + 1;
            var community = i % options.CellsPerTown + 1;
            yield return new PlannedCell($"{county.Code}-{town:D3}-{community:D3}", county.Code,
                $"{county.NameZh}{town:D3}街{community:D3}网格 / {county.NameEn} {town}-{community}", random.Next(150, 450));
        }
    }
}
