using EpiGrid.Geography;
using EpiGrid.Simulator.Outbreak;

namespace EpiGrid.Tests.Simulator;

public class OutbreakModelTests
{
    static readonly IReadOnlyList<County> Counties = Province.Parse(File.ReadAllLines(CountiesFile()));
    static readonly OutbreakOptions Small = new() { Seed = 11, Travellers = 5_000 };

    [Fact]
    public void The_same_seed_gives_the_same_sequence_of_reports()
    {
        var first = OutbreakModel.Generate(Small, Counties);
        var second = OutbreakModel.Generate(Small, Counties);

        second.ShouldBe(first);
        SequenceFingerprint.Of(second).ShouldBe(SequenceFingerprint.Of(first));
    }

    [Fact]
    public void A_different_seed_gives_a_different_sequence()
    {
        var first = OutbreakModel.Generate(Small, Counties);
        var other = OutbreakModel.Generate(Small with { Seed = 12 }, Counties);

        SequenceFingerprint.Of(other).ShouldNotBe(SequenceFingerprint.Of(first));
    }

    [Fact]
    public void Reports_come_in_time_order_within_the_outbreak_and_a_status_follows_its_case_in_the_same_cell()
    {
        var reports = OutbreakModel.Generate(Small with { CheckIns = true }, Counties);

        reports.Zip(reports.Skip(1)).ShouldAllBe(p => p.First.At <= p.Second.At);
        reports.ShouldAllBe(r => r.At >= TimeSpan.Zero && r.At < TimeSpan.FromDays(Small.Days));
        var cases = new Dictionary<string, CaseReport>();
        foreach (var r in reports)
        {
            if (r is CaseReport c) cases.Add(c.CaseId, c);
            if (r is CaseStatusReport s) cases[s.CaseId].CellId.ShouldBe(s.CellId);
        }
        reports.OfType<TravellerArrival>().Count().ShouldBe(Small.Travellers);
        reports.OfType<CheckIn>().ShouldContain(c => c.Missed);
    }

    [Fact]
    public void Every_report_addresses_a_cell_the_silo_seeds()
    {
        var seeded = Counties.SelectMany(c => CellPlan.CellsOf(c,
                CellPlan.CountsPerCounty(Counties, Small.Cells)[c.Code], new()))
            .Select(c => c.CellId).ToHashSet();

        OutbreakModel.Generate(Small, Counties).ShouldAllBe(r => seeded.Contains(r.CellId));
    }

    /// <summary>
    /// The calibration (docs/rules.md): the simulator draws each city's published cases and never a county's colour;
    /// the rules, each day by the version in force, make maps close to those published on 9, 12, 19 and 27 February.
    /// "Close": at most 20 counties misplaced over the five colours of a day (a county in the wrong colour counts twice),
    /// and the green counts within 8 of the published.
    /// </summary>
    [Fact]
    public void The_default_outbreak_s_maps_come_close_to_those_published_in_February_2020()
    {
        var options = new OutbreakOptions { Travellers = 20_000 };
        var reports = OutbreakModel.Generate(options, Counties);

        foreach (var (day, published) in OutbreakPreview.Published)
        {
            var elapsed = TimeSpan.FromDays(day.DayNumber - OutbreakModel.Start.DayNumber + 1) - TimeSpan.FromSeconds(1);
            var counts = OutbreakPreview.ColourCounts(reports, Counties, elapsed);
            var simulated = EpiGrid.Counties.Rules.RiskLevels.Colours.Select(c => counts.GetValueOrDefault(c)).ToArray();
            var summary = $"{day:dd MMM}: simulated {string.Join("/", simulated)}, published {string.Join("/", published)}";

            simulated.Sum().ShouldBe(90, summary);
            simulated.Zip(published).Sum(p => Math.Abs(p.First - p.Second)).ShouldBeLessThanOrEqualTo(20, summary);
            Math.Abs(simulated[4] - published[4]).ShouldBeLessThanOrEqualTo(8, summary);
        }
    }

    [Fact]
    public void Each_city_gets_its_published_confirmed_cases_day_by_day()
    {
        var reports = OutbreakModel.Generate(Small, Counties);
        var cityOf = Counties.ToDictionary(c => c.Code, c => c.CityCode);
        var confirmed = reports.OfType<CaseReport>().Where(c => c.Kind == EpiGrid.Cells.CaseKind.Confirmed).ToList();

        foreach (var (city, totals) in PublishedCityTotals.Cumulative)
            for (var i = 1; i < PublishedCityTotals.Days.Count; i++)
            {
                var endOfDay = TimeSpan.FromDays(PublishedCityTotals.Days[i].DayNumber - OutbreakModel.Start.DayNumber + 1);
                confirmed.Count(c => cityOf[c.CellId[..6]] == city && c.At < endOfDay)
                    .ShouldBe(totals[i], $"city {city} by {PublishedCityTotals.Days[i]}");
            }
        confirmed.Count.ShouldBe(PublishedCityTotals.Cumulative.Values.Sum(t => t[^1]));
    }

    /// <summary>The copy next to the tests (the simulator ships it), else the repository's.</summary>
    static string CountiesFile()
    {
        var beside = Path.Combine(AppContext.BaseDirectory, "data", "zhejiang-counties-2020.csv");
        if (File.Exists(beside)) return beside;
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "EpiGrid.slnx"))) dir = dir.Parent;
        return Path.Combine(dir?.FullName ?? throw new InvalidOperationException("Repository root not found"), "data", "zhejiang-counties-2020.csv");
    }
}
