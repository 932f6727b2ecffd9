using EpiGrid.Cells;
using EpiGrid.Platform;

namespace EpiGrid.Counties.Rules;

/// <summary>
/// The figures a county is judged by, computed from a <see cref="CountySnapshot"/>. Days are local calendar days:
/// a case confirmed on day D is "new in the last 14 days" on days D to D+13; on day D+14 the county has had
/// 14 quiet days (D+1..D+14). Cases reported with a time after <see cref="CountySnapshot.Now"/> are ignored,
/// which is what lets replay evaluate a county as of any moment.
/// </summary>
[GenerateSerializer, Immutable, Alias("epigrid.county-indicators")]
public sealed record CountyIndicators
{
    [Id(0)] public int ConfirmedTotal { get; init; }
    [Id(1)] public int NewLast14Days { get; init; }
    [Id(2)] public int NewLast7Days { get; init; }
    [Id(3)] public int ClustersLast14Days { get; init; }
    /// <summary>Whole local days since the last newly confirmed case; null when there never was one.</summary>
    [Id(4)] public int? DaysSinceLastNewCase { get; init; }
    [Id(5)] public int LocalConfirmed { get; init; }
    [Id(6)] public int ImportedConfirmed { get; init; }
    /// <summary>Share of confirmed cases infected locally (0 when there are none).</summary>
    [Id(7)] public double LocalShare { get; init; }
    [Id(8)] public int Suspected { get; init; }
    [Id(9)] public int Asymptomatic { get; init; }
    [Id(10)] public int Active { get; init; }
    [Id(11)] public int Hospitalised { get; init; }
    [Id(12)] public int Recovered { get; init; }
    [Id(13)] public int Died { get; init; }
    [Id(14)] public int Population { get; init; }
    /// <summary>Daily new confirmed cases per 100,000 people, averaged over the last 7 local days.</summary>
    [Id(15)] public double DailyNewPer100kAvg7 { get; init; }
    /// <summary>New confirmed cases in the last 14 days with a known source (the infecting case or a cluster: issue 16).</summary>
    [Id(16)] public int LinkedLast14Days { get; init; }
    /// <summary>
    /// Share of the new confirmed cases of the last 14 days with a known source; null when there were none. The hidden
    /// sources grid workers are sent to find are the rest. No rule set uses it.
    /// </summary>
    [Id(17)] public double? LinkedShareLast14Days { get; init; }

    public const int WindowDays = 14;

    public static CountyIndicators Compute(CountySnapshot snapshot)
    {
        var today = snapshot.Now.LocalDay(snapshot.UtcOffset);
        // Settled cases count as the loop below would count them: outside the window, so only in the totals.
        var s = snapshot.Settled;
        int confirmed = s?.Confirmed ?? 0, new14 = 0, new7 = 0, local = s?.Local ?? 0, suspected = s?.Suspected ?? 0, asymptomatic = s?.Asymptomatic ?? 0;
        int active = s?.Active ?? 0, hospitalised = s?.Hospitalised ?? 0, recovered = s?.Recovered ?? 0, died = s?.Died ?? 0, linked14 = 0;
        int? lastNewDaysAgo = s?.LatestConfirmedDay is { } latest ? today.DayNumber - latest : null;
        var recentByCluster = new Dictionary<string, int>(StringComparer.Ordinal);

        foreach (var c in snapshot.Cases)
        {
            if (c.OccurredAt > snapshot.Now || c.Status == CaseStatus.RuledOut) continue;
            switch (c.Kind)
            {
                case CaseKind.Suspected: suspected++; continue;
                case CaseKind.Asymptomatic: asymptomatic++; continue;
            }

            confirmed++;
            if (c.Local) local++;
            switch (c.Status)
            {
                case CaseStatus.Active: active++; break;
                case CaseStatus.Hospitalised: hospitalised++; break;
                case CaseStatus.Recovered: recovered++; break;
                case CaseStatus.Died: died++; break;
            }

            var daysAgo = today.DayNumber - c.OccurredAt.LocalDay(snapshot.UtcOffset).DayNumber;
            if (lastNewDaysAgo is null || daysAgo < lastNewDaysAgo) lastNewDaysAgo = daysAgo;
            if (daysAgo < 7) new7++;
            if (daysAgo < WindowDays)
            {
                new14++;
                if (c.Linked) linked14++;
                if (!string.IsNullOrEmpty(c.ClusterId))
                    recentByCluster[c.ClusterId] = recentByCluster.GetValueOrDefault(c.ClusterId) + 1;
            }
        }

        return new CountyIndicators
        {
            ConfirmedTotal = confirmed,
            NewLast14Days = new14,
            NewLast7Days = new7,
            ClustersLast14Days = recentByCluster.Values.Count(n => n >= 2),
            DaysSinceLastNewCase = lastNewDaysAgo,
            LocalConfirmed = local,
            ImportedConfirmed = confirmed - local,
            LocalShare = confirmed == 0 ? 0 : (double)local / confirmed,
            Suspected = suspected,
            Asymptomatic = asymptomatic,
            Active = active,
            Hospitalised = hospitalised,
            Recovered = recovered,
            Died = died,
            Population = snapshot.Population,
            DailyNewPer100kAvg7 = snapshot.Population <= 0 ? 0 : new7 / 7.0 / snapshot.Population * 100_000,
            LinkedLast14Days = linked14,
            LinkedShareLast14Days = new14 == 0 ? null : (double)linked14 / new14,
        };
    }
}
