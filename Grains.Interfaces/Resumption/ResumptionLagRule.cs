using EpiGrid.Alerts;

namespace EpiGrid.Resumption;

/// <summary>
/// A county whose index stays more than <see cref="ResumptionOptions.LagMargin"/> points below the province's on
/// <see cref="ResumptionOptions.LagDays"/> consecutive days, ending on <c>day</c>, is told so through its officials.
/// Pure, like the colour rules; the id names county and day, so raising it again is harmless.
/// </summary>
public static class ResumptionLagRule
{
    public const string Version = "2020-02-20.1";
    public const string Kind = "resumption-lag";

    /// <param name="county">The county's figures by day; a day without readings breaks the run.</param>
    /// <param name="province">The province's figures by day.</param>
    public static AlertDraft? Evaluate(string countyCode, DateOnly day, IReadOnlyDictionary<DateOnly, ResumptionFigures> county,
        IReadOnlyDictionary<DateOnly, ResumptionFigures> province, ResumptionOptions options, DateTimeOffset now)
    {
        if (options.LagDays < 1) return null;
        for (var d = day.AddDays(1 - options.LagDays); d <= day; d = d.AddDays(1))
            if (!Lags(county.GetValueOrDefault(d), province.GetValueOrDefault(d), options.LagMargin)) return null;

        var c = county[day];
        var p = province[day];
        return AlertDraft.Of(
            $"{Kind}:{countyCode}:{day:yyyy-MM-dd}", Kind, Severities.High, null, countyCode,
            new($"Enterprise resumption index {c.Index:0.00} on {day:yyyy-MM-dd} is {p.Index - c.Index:0.00} points below the province's {p.Index:0.00}, " +
                $"more than {options.LagMargin:0.##} below for {options.LagDays} days", $"企业复工电力指数连续{options.LagDays}天低于全省{options.LagMargin:0.##}点以上"),
            now, null,
            new Dictionary<string, string>
            {
                ["day"] = day.ToString("yyyy-MM-dd"), ["index"] = c.Index.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture),
                ["provinceIndex"] = p.Index.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture),
                ["days"] = options.LagDays.ToString(System.Globalization.CultureInfo.InvariantCulture),
            },
            [AlertGroups.CountyOfficials(countyCode)], Version);
    }

    static bool Lags(ResumptionFigures? county, ResumptionFigures? province, double margin) =>
        county is { Enterprises: > 0 } && province is { Enterprises: > 0 } && county.Index < province.Index - margin;
}
