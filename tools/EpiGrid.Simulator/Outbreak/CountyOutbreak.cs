namespace EpiGrid.Simulator.Outbreak;

/// <summary>The cases of one county over the outbreak, drawn from its tier's profile.</summary>
sealed class CountyOutbreak(
    County county, Tier tier, OutbreakOptions options, CellDirectory cells, List<TravellerArrival> riskyArrivals,
    SeededRandom random, List<SimReport> reports)
{
    static readonly TimeSpan Day = TimeSpan.FromDays(1);
    int caseNumber;

    /// <summary>Daily weights of new cases: a peak about 40% into the outbreak, as Zhejiang's early February.</summary>
    IReadOnlyList<double> Curve { get; } = Enumerable.Range(0, options.Days)
        .Select(d => Math.Exp(-Math.Pow((d - 0.4 * options.Days) / (0.35 * options.Days), 2)) + 0.2).ToList();

    public void Generate()
    {
        var p = TierProfile.Of(tier);
        var confirmed = random.Next(p.MinConfirmed, p.MaxConfirmed + 1);
        var local = (int)Math.Round(confirmed * (p.MinLocalShare + random.NextDouble() * (p.MaxLocalShare - p.MinLocalShare)));
        var clusters = random.Next(p.MinClusters, p.MaxClusters + 1);

        for (var i = 0; i < confirmed - local; i++) Imported(CaseKind.Confirmed);
        Local(local, clusters);
        if (TierProfile.StaysActive(tier))
            Imported(CaseKind.Confirmed, Day * (options.Days - 1 - random.Next(0, 2)));
        for (var i = 0; i < Math.Round(confirmed * 1.2) + random.Next(0, 4); i++) Suspected();
        for (var i = 0; i < Math.Round(confirmed * 0.1); i++) Imported(CaseKind.Asymptomatic);
    }

    TimeSpan OnCurve(int lastDay) =>
        Day * random.Pick(Curve.Take(Math.Max(1, lastDay + 1)).ToList()) + TimeSpan.FromSeconds(random.Next(0, 86_400));

    /// <summary>Someone who arrived from a high-risk area falls ill 1-10 days later, in the cell they arrived in.</summary>
    void Imported(CaseKind kind, TimeSpan? at = null)
    {
        var when = at is { } fixedDay ? fixedDay + TimeSpan.FromSeconds(random.Next(0, 86_400)) : OnCurve(options.Days - 1);
        var earlier = riskyArrivals.Count(a => a.At < when - Day);
        var cellId = earlier > 0 ? riskyArrivals.Where(a => a.At < when - Day).ElementAt(random.Next(0, earlier)).CellId
            : cells.Any(county.Code, random);
        Report(cellId, when, kind, local: false, clusterId: null);
    }

    /// <summary>Local cases: in clusters of at least two (a family, a workplace) around one cell and its town, the rest sporadic.</summary>
    void Local(int count, int clusters)
    {
        clusters = Math.Min(clusters, count / 2);
        var inClusters = clusters == 0 ? 0 : Math.Max(clusters * 2, (int)Math.Round(count * 0.7));
        for (var k = 0; k < clusters; k++)
        {
            var size = k < clusters - 1 ? inClusters / clusters : inClusters - inClusters / clusters * (clusters - 1);
            var home = cells.Any(county.Code, random);
            var start = OnCurve(options.Days - 2);
            var clusterId = $"k{county.Code}-{k + 1}";
            for (var i = 0; i < size; i++)
            {
                var when = TimeSpan.FromSeconds(Math.Min(start.TotalSeconds + random.Next(0, 4 * 86_400), (Day * options.Days).TotalSeconds - 1));
                Report(random.Chance(0.6) ? home : cells.Neighbour(home, random), when, CaseKind.Confirmed, local: true, clusterId);
            }
        }
        for (var i = inClusters; i < count; i++)
            Report(cells.Any(county.Code, random), OnCurve(options.Days - 1), CaseKind.Confirmed, local: true, clusterId: null);
    }

    /// <summary>Most suspected cases are ruled out within days.</summary>
    void Suspected()
    {
        var at = OnCurve(options.Days - 1);
        var id = Report(cells.Any(county.Code, random), at, CaseKind.Suspected, local: random.Chance(0.3), clusterId: null, follow: false);
        if (random.Chance(0.85))
            reports.Add(new CaseStatusReport(at + TimeSpan.FromHours(random.Next(12, 72)), id.CellId, id.CaseId, CaseStatus.RuledOut));
    }

    CaseReport Report(string cellId, TimeSpan at, CaseKind kind, bool local, string? clusterId, bool follow = true)
    {
        var report = new CaseReport(TimeSpan.FromSeconds(Math.Floor(at.TotalSeconds)), cellId, $"c{county.Code}-{++caseNumber:D4}", kind, local, clusterId);
        reports.Add(report);
        if (!follow) return report;
        // Confirmed and asymptomatic cases are hospitalised within hours and recover after about two weeks.
        var hospitalised = report.At + TimeSpan.FromHours(random.Next(2, 20));
        reports.Add(new CaseStatusReport(hospitalised, cellId, report.CaseId, CaseStatus.Hospitalised));
        reports.Add(new CaseStatusReport(hospitalised + Day * random.Next(8, 18), cellId, report.CaseId, CaseStatus.Recovered));
        return report;
    }
}
