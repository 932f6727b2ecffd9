namespace EpiGrid.Simulator.Outbreak;

/// <summary>
/// Zhejiang's cumulative confirmed cases per city, as the provincial health commission published them each morning
/// for the day before (0-24 h, local time). Sources, all reprints of the commission's daily notice (docs/sources.md):
/// 27 Jan — China News Service, 28 Jan 2020; 28 Jan — People's Daily Online via cneb.gov.cn, 29 Jan; 5 Feb — CCTV,
/// 6 Feb; 11 Feb — the commission's notice quoted by Shaoxing's daily report, 12 Feb; 16 Feb — CCTV via cneb.gov.cn,
/// 17 Feb; 20 Feb — Zhejiang Fabu, 21 Feb (unchanged to 25 Feb, China News Service, 26 Feb).
/// The 36 cases of the provincial Shilifeng prison belong to no county and are left out. Quzhou's 21 were revised to
/// 14 on 20 February ("核减7例"); the curve takes 14 from 5 February on.
/// </summary>
public static class PublishedCityTotals
{
    /// <summary>The days of the notices (cumulative at the end of the day); before the first, none.</summary>
    public static readonly IReadOnlyList<DateOnly> Days =
    [
        new(2020, 1, 20), new(2020, 1, 27), new(2020, 1, 28), new(2020, 2, 5), new(2020, 2, 11), new(2020, 2, 16), new(2020, 2, 20),
    ];

    /// <summary>City code → cumulative confirmed at the end of each of <see cref="Days"/>.</summary>
    public static readonly IReadOnlyDictionary<string, int[]> Cumulative = new Dictionary<string, int[]>(StringComparer.Ordinal)
    {
        ["3301"] = [0, 32, 51, 151, 159, 168, 169],  // Hangzhou
        ["3302"] = [0, 17, 20, 126, 153, 156, 157],  // Ningbo
        ["3303"] = [0, 60, 114, 396, 481, 503, 504], // Wenzhou
        ["3304"] = [0, 11, 14, 30, 42, 43, 45],      // Jiaxing
        ["3305"] = [0, 3, 5, 9, 10, 10, 10],         // Huzhou
        ["3306"] = [0, 7, 19, 33, 41, 42, 42],       // Shaoxing
        ["3307"] = [0, 7, 13, 47, 54, 55, 55],       // Jinhua
        ["3308"] = [0, 5, 8, 14, 14, 14, 14],        // Quzhou (revised down to 14)
        ["3309"] = [0, 4, 6, 7, 10, 10, 10],         // Zhoushan
        ["3310"] = [0, 22, 40, 124, 143, 146, 146],  // Taizhou
        ["3311"] = [0, 5, 6, 16, 17, 17, 17],        // Lishui
    };

    /// <summary>
    /// New confirmed cases of the city on each local day from <paramref name="start"/>: the published cumulative
    /// counts joined by straight lines (our reading between the notices), rounded, so the days add up to each notice.
    /// </summary>
    public static int[] DailyNew(string cityCode, DateOnly start, int days)
    {
        if (!Cumulative.TryGetValue(cityCode, out var totals)) return new int[days];
        double At(DateOnly day)
        {
            if (day <= Days[0]) return 0;
            if (day >= Days[^1]) return totals[^1];
            var i = Enumerable.Range(1, Days.Count - 1).First(k => Days[k] >= day);
            var span = Days[i].DayNumber - Days[i - 1].DayNumber;
            return totals[i - 1] + (totals[i] - totals[i - 1]) * (double)(day.DayNumber - Days[i - 1].DayNumber) / span;
        }
        return Enumerable.Range(0, days)
            .Select(d => (int)Math.Round(At(start.AddDays(d))) - (int)Math.Round(At(start.AddDays(d - 1)))).ToArray();
    }
}
