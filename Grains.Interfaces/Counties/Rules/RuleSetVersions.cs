namespace EpiGrid.Counties.Rules;

/// <summary>One version of a rule set and the local day it took effect (in the province's time).</summary>
public sealed record RuleVersion(DateOnly EffectiveFrom, IColourRuleSet Rule);

/// <summary>
/// A rule set through time: its versions, each in force from its <see cref="RuleVersion.EffectiveFrom"/> day until the
/// next one's. Live evaluation judges a county by the version in force on the local day it evaluates, replay by the
/// version in force on the day replayed, so a past colour is recomputed with the rules of its day. A moment before the
/// first version is judged by the first (there was no earlier rule to apply). Pure.
/// </summary>
public sealed class RuleSetVersions
{
    public RuleSetVersions(IEnumerable<RuleVersion> versions)
    {
        Versions = versions.OrderBy(v => v.EffectiveFrom).ToList();
        if (Versions.Count == 0) throw new ArgumentException("A rule set needs at least one version.", nameof(versions));
        Name = Versions[0].Rule.Name;
        if (Versions.Any(v => v.Rule.Name != Name))
            throw new ArgumentException($"Every version of {Name} must carry its name.", nameof(versions));
        if (Versions.Select(v => v.EffectiveFrom).Distinct().Count() != Versions.Count)
            throw new ArgumentException($"Two versions of {Name} take effect on the same day.", nameof(versions));
    }

    /// <summary>One function applied at every moment: what-if with a version or parameters asked for.</summary>
    public static RuleSetVersions Fixed(IColourRuleSet rule) => new([new RuleVersion(DateOnly.MinValue, rule)]);

    public string Name { get; }

    /// <summary>Oldest first.</summary>
    public IReadOnlyList<RuleVersion> Versions { get; }

    public IColourRuleSet Latest => Versions[^1].Rule;

    /// <summary>The version in force on a local day.</summary>
    public IColourRuleSet InForce(DateOnly day)
    {
        var rule = Versions[0].Rule;
        foreach (var v in Versions)
        {
            if (v.EffectiveFrom > day) break;
            rule = v.Rule;
        }
        return rule;
    }

    /// <summary>The versions in force on some day of [<paramref name="from"/>, <paramref name="to"/>], oldest first.</summary>
    public IReadOnlyList<IColourRuleSet> InForceBetween(DateOnly from, DateOnly to)
    {
        var first = InForce(from);
        return Versions.Select(v => v.Rule).SkipWhile(r => r != first)
            .TakeWhile(r => r == first || Versions.First(v => v.Rule == r).EffectiveFrom <= to).ToList();
    }

    /// <summary>The version with this name, in full ("2020-02-09.1+ab12cd34") or without its parameters' fingerprint.</summary>
    public IColourRuleSet? Find(string version) =>
        Versions.Select(v => v.Rule).FirstOrDefault(r => r.Version == version || r.Version.Split('+')[0] == version);
}
