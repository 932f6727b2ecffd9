namespace EpiGrid.Simulator.Outbreak;

/// <summary>
/// xoshiro256** seeded with SplitMix64: the algorithm is fixed here, so a seed gives the same outbreak on any
/// .NET version (System.Random's algorithm is an implementation detail).
/// </summary>
public sealed class SeededRandom
{
    ulong s0, s1, s2, s3;

    public SeededRandom(long seed)
    {
        var x = (ulong)seed;
        ulong Next() { x += 0x9E3779B97F4A7C15; var z = x; z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9; z = (z ^ (z >> 27)) * 0x94D049BB133111EB; return z ^ (z >> 31); }
        (s0, s1, s2, s3) = (Next(), Next(), Next(), Next());
    }

    public ulong NextULong()
    {
        var result = ulong.RotateLeft(s1 * 5, 7) * 9;
        var t = s1 << 17;
        s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t; s3 = ulong.RotateLeft(s3, 45);
        return result;
    }

    /// <summary>Uniform in [0, 1).</summary>
    public double NextDouble() => (NextULong() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform in [min, max).</summary>
    public int Next(int min, int max) => min + (int)(NextDouble() * (max - min));

    public bool Chance(double p) => NextDouble() < p;

    /// <summary>A standard normal draw (Box–Muller).</summary>
    public double NextGaussian() => Math.Sqrt(-2 * Math.Log(1 - NextDouble())) * Math.Cos(2 * Math.PI * NextDouble());

    /// <summary>An index drawn with probability proportional to its weight.</summary>
    public int Pick(IReadOnlyList<double> weights)
    {
        var total = 0.0;
        foreach (var w in weights) total += w;
        var r = NextDouble() * total;
        for (var i = 0; i < weights.Count; i++)
            if ((r -= weights[i]) < 0) return i;
        return weights.Count - 1;
    }

    /// <summary>A random variable for a derived, independent stream (e.g. one per county), still fixed by the seed.</summary>
    public SeededRandom Fork() => new((long)NextULong());
}
