namespace EpiGrid.Simulator.Outbreak;

public enum Tier { Red, Orange, Yellow, Blue, Green }

/// <summary>How hard a county is hit: drawn so the ending map matches a published one.</summary>
public sealed record TierProfile(int MinConfirmed, int MaxConfirmed, double MinLocalShare, double MaxLocalShare, int MinClusters, int MaxClusters)
{
    public static TierProfile Of(Tier tier) => tier switch
    {
        Tier.Red => new(130, 180, 0.55, 0.65, 5, 8),
        Tier.Orange => new(20, 28, 0.30, 0.40, 2, 2),
        Tier.Yellow => new(9, 14, 0.20, 0.30, 1, 1),
        Tier.Blue => new(1, 5, 0, 0.2, 0, 0),
        _ => new(0, 0, 0, 0, 0, 0),
    };

    /// <summary>Counties that must still look active at the end get a case in the last days (3 quiet days step down).</summary>
    public static bool StaysActive(Tier tier) => tier is Tier.Red or Tier.Orange or Tier.Yellow;
}

public static class CountyTiers
{
    /// <summary>Wenzhou (many residents worked in Wuhan) was hit hardest in Zhejiang, then Taizhou, Hangzhou and Ningbo.</summary>
    public static double Hotspot(County county) => county.CityCode switch
    {
        "3303" => 4.0,
        "3310" => 2.0,
        "3301" or "3302" => 1.5,
        _ => 1.0,
    };

    /// <summary>Worst tiers first, each drawn with probability growing with population and hotspot (weighted sampling without replacement).</summary>
    public static IReadOnlyDictionary<string, Tier> Assign(IReadOnlyList<County> counties, IReadOnlyList<int> counts, SeededRandom random)
    {
        // Efraimidis–Spirakis: key u^(1/w), largest keys first, is weighted sampling without replacement.
        var order = counties
            .Select(c => (c.Code, Key: Math.Pow(random.NextDouble(), 1.0 / (c.Population / 1e5 * Hotspot(c)))))
            .OrderByDescending(x => x.Key).ThenBy(x => x.Code, StringComparer.Ordinal)
            .Select(x => x.Code).ToList();
        var tiers = new Dictionary<string, Tier>(StringComparer.Ordinal);
        var next = 0;
        for (var t = 0; t < counts.Count && t < (int)Tier.Green; t++)
            for (var i = 0; i < counts[t] && next < order.Count; i++)
                tiers[order[next++]] = (Tier)t;
        while (next < order.Count) tiers[order[next++]] = Tier.Green;
        return tiers;
    }
}
