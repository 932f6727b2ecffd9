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

    [Fact]
    public void The_default_outbreak_ends_on_the_map_published_on_9_February_2020()
    {
        var options = new OutbreakOptions();
        var reports = OutbreakModel.Generate(options, Counties);

        var colours = OutbreakPreview.ColourCounts(reports, Counties, TimeSpan.FromDays(options.Days) - TimeSpan.FromSeconds(1));

        colours.ShouldBe(new Dictionary<string, int> { ["red"] = 1, ["orange"] = 12, ["yellow"] = 12, ["blue"] = 53, ["green"] = 12 },
            ignoreOrder: true);
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
