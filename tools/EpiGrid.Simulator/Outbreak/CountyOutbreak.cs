using EpiGrid.Cells;

namespace EpiGrid.Simulator.Outbreak;

/// <summary>
/// The cases of one county: its confirmed cases on the days the city's published curve gave it, imported early and
/// mostly local later, local ones in clusters (a family, a workplace); suspected cases mostly ruled out.
/// </summary>
sealed class CountyOutbreak(
    County county, IReadOnlyList<int> caseDays, CellDirectory cells, List<TravellerArrival> riskyArrivals,
    SeededRandom random, List<SimReport> reports)
{
    static readonly TimeSpan Day = TimeSpan.FromDays(1);
    /// <summary>Zhejiang closed its borders to Hubei travel around 28 January; from then most new cases were local.</summary>
    const int MostlyLocalFromDay = 7;
    int caseNumber;
    (string Id, int Day, int Size)? openCluster;
    int clusters;

    public void Generate()
    {
        foreach (var day in caseDays)
        {
            var when = Day * day + TimeSpan.FromSeconds(random.Next(0, 86_400));
            if (random.Chance(day < MostlyLocalFromDay ? 0.25 : 0.7)) Local(day, when);
            else Imported(CaseKind.Confirmed, when);
        }
        var last = Math.Max(1, caseDays.Count == 0 ? 1 : caseDays.Max() + 1);
        for (var i = 0; i < Math.Round(caseDays.Count * 1.2) + random.Next(0, 4); i++) Suspected(Day * random.Next(0, last) + TimeSpan.FromSeconds(random.Next(0, 86_400)));
        for (var i = 0; i < Math.Round(caseDays.Count * 0.1); i++) Imported(CaseKind.Asymptomatic, Day * random.Next(0, last) + TimeSpan.FromSeconds(random.Next(0, 86_400)));
    }

    /// <summary>Someone who arrived from a high-risk area falls ill 1-10 days later, in the cell they arrived in.</summary>
    void Imported(CaseKind kind, TimeSpan when)
    {
        var earlier = riskyArrivals.Count(a => a.At < when - Day);
        var cellId = earlier > 0 ? riskyArrivals.Where(a => a.At < when - Day).ElementAt(random.Next(0, earlier)).CellId
            : cells.Any(county.Code, random);
        Report(cellId, when, kind, local: false, clusterId: null);
    }

    /// <summary>A local case joins the county's cluster of the last 3 days most of the time, else starts one or stands alone.</summary>
    void Local(int day, TimeSpan when)
    {
        if (openCluster is { } open && day - open.Day <= 3 && open.Size < 8 && random.Chance(0.75))
        {
            openCluster = open with { Size = open.Size + 1 };
            Report(cells.Any(county.Code, random), when, CaseKind.Confirmed, local: true, open.Id);
            return;
        }
        if (random.Chance(0.5))
        {
            openCluster = ($"k{county.Code}-{++clusters}", day, 1);
            Report(cells.Any(county.Code, random), when, CaseKind.Confirmed, local: true, openCluster.Value.Id);
            return;
        }
        Report(cells.Any(county.Code, random), when, CaseKind.Confirmed, local: true, clusterId: null);
    }

    /// <summary>Most suspected cases are ruled out within days.</summary>
    void Suspected(TimeSpan at)
    {
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
