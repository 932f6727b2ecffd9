namespace EpiGrid.People;

/// <summary>
/// A place a person stayed (issue 16: itineraries): a county of the province, screened against the platform's own colour
/// history, or an area outside it (kept as a fact, not screened: the platform holds no colour for it).
/// </summary>
[GenerateSerializer, Immutable, Alias("epigrid.stay")]
public sealed record Stay([property: Id(0)] string? County, [property: Id(1)] string? Area, [property: Id(2)] DateTimeOffset From,
    [property: Id(3)] DateTimeOffset To,
    // The named place within the county, when one is known: the checkpoint where the person's code was scanned.
    [property: Id(4)] string? Site = null)
{
    public string Place => Site is null ? County ?? Area ?? "" : $"{Site}, {County ?? Area}";
}

/// <summary>
/// A county's colour under the default rule set from <see cref="Since"/> until <see cref="Until"/> (null: still in force).
/// <see cref="Version"/> is the county stream's version of the change that began it.
/// </summary>
[GenerateSerializer, Immutable, Alias("epigrid.colour-spell")]
public sealed record ColourSpell(
    [property: Id(0)] string County, [property: Id(1)] string Colour, [property: Id(2)] DateTimeOffset Since,
    [property: Id(3)] DateTimeOffset? Until, [property: Id(4)] string RuleSet, [property: Id(5)] string RuleVersion,
    [property: Id(6)] long Version);

/// <summary>
/// Spatial screening (空间筛查), EpiGrid's reading: a stay in a county counts as high risk when the county was red or orange
/// under the default rule set at any moment from the first day of the stay until 14 days after its last, and as medium
/// risk when it was yellow. A county's colour is judged on its cases of the last 14 days, so a county that turns red
/// after a visitor left may have been spreading infection while they were there; the published practice flagged those
/// who had been in a risk area within 14 days. The exposure counts from the later of the stay's first moment and the
/// spell's start, the moment from which the person had been in a county of that colour. Pure.
/// </summary>
public static class SpatialScreening
{
    public const int LookbackDays = 14;

    /// <summary>The exposure a county of this colour means: high (red, orange), medium (yellow) or none.</summary>
    public static ExposureKind? RiskOf(string colour) => colour switch
    {
        "red" or "orange" => ExposureKind.PlaceHighRisk,
        "yellow" => ExposureKind.PlaceMediumRisk,
        _ => null,
    };

    /// <summary>The risky spells a stay meets, each with the moment its exposure counts from.</summary>
    public static IEnumerable<(ColourSpell Spell, DateTimeOffset At)> Screen(Stay stay, IEnumerable<ColourSpell> spells)
    {
        if (stay.County is null) yield break;
        var until = stay.To.AddDays(LookbackDays);
        foreach (var spell in spells)
        {
            if (spell.County != stay.County || RiskOf(spell.Colour) is null) continue;
            if (spell.Since > until || spell.Until is { } end && end <= stay.From) continue;
            yield return (spell, spell.Since > stay.From ? spell.Since : stay.From);
        }
    }

    /// <summary>Whether a stay can still meet a spell that begins at or after <paramref name="now"/>.</summary>
    public static bool StillScreened(Stay stay, DateTimeOffset now) => stay.To.AddDays(LookbackDays) >= now;
}
