using System;
using System.Linq;
using EpiGrid.Cells;
using EpiGrid.Counties.Rules;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Shouldly;

namespace EpiGrid.Tests.Rules;

/// <summary>Zhejiang-5 orders counties sensibly under any valid weights: more cases never help, quiet days never hurt.</summary>
[Properties(Arbitrary = [typeof(Zhejiang5Generators), typeof(CaseGenerators)])]
public class Zhejiang5PropertyTests
{
    [Property]
    public void More_cases_never_lower_the_level_when_the_other_inputs_are_fixed(
        ZhejiangCounty county, byte moreConfirmed, byte moreClusters, byte moreNewCases)
    {
        var rules = new Zhejiang5RuleSet(county.Parameters);
        var worse = county.Indicators with
        {
            ConfirmedTotal = county.Indicators.ConfirmedTotal + moreConfirmed,
            ClustersLast14Days = county.Indicators.ClustersLast14Days + moreClusters % 5,
            NewLast7Days = county.Indicators.NewLast7Days + moreNewCases % 20,
            NewLast14Days = county.Indicators.NewLast14Days + moreNewCases % 20,
        };

        ((int)rules.Evaluate(worse).Level).ShouldBeGreaterThanOrEqualTo((int)rules.Evaluate(county.Indicators).Level);
    }

    [Property]
    public void Quiet_days_never_raise_the_level(ZhejiangCounty county, byte fewer, byte more)
    {
        var rules = new Zhejiang5RuleSet(county.Parameters);
        int a = fewer % 14, b = more % 14;
        var (q1, q2) = (Math.Min(a, b), Math.Max(a, b));

        var atFewer = rules.Evaluate(county.Indicators with { DaysSinceLastNewCase = q1 });
        var atMore = rules.Evaluate(county.Indicators with { DaysSinceLastNewCase = q2 });

        ((int)atMore.Level).ShouldBeLessThanOrEqualTo((int)atFewer.Level);
        if (county.Parameters.GreenAfterQuietDays is not { } greenAfter || q2 < greenAfter)
            atMore.Level.ShouldNotBe(RiskLevel.Low, "a county with a case is green only after its quiet days");
    }

    [Property]
    public void More_local_cases_confirmed_today_never_lower_the_level(RandomCounty county, byte extra, bool inCluster)
    {
        var rules = new Zhejiang5RuleSet();
        var snapshot = county.Snapshot;
        var withCaseToday = snapshot with { Cases = [.. snapshot.Cases, LocalCaseAt(snapshot.Now, "today-0", null)] };
        var withMore = withCaseToday with
        {
            Cases = [.. withCaseToday.Cases, .. Enumerable.Range(1, extra % 60).Select(n =>
                LocalCaseAt(snapshot.Now, $"today-{n}", inCluster ? "a" : null))],
        };

        ((int)rules.Evaluate(CountyIndicators.Compute(withMore)).Level)
            .ShouldBeGreaterThanOrEqualTo((int)rules.Evaluate(CountyIndicators.Compute(withCaseToday)).Level);
    }

    static CaseFact LocalCaseAt(DateTimeOffset now, string id, string? cluster) =>
        new(id, "cell-1", CaseKind.Confirmed, true, cluster, now, CaseStatus.Active, 1_000);
}

/// <summary>Valid Zhejiang-5 parameters (non-negative weights, ordered cut-offs) and a county with a new case today.</summary>
public sealed record ZhejiangCounty(Zhejiang5Parameters Parameters, CountyIndicators Indicators);

public static class Zhejiang5Generators
{
    static readonly Gen<double> Weight = Gen.Choose(0, 100).Select(n => n / 100.0);

    static readonly Gen<Zhejiang5Parameters> Parameters =
        from weights in Gen.ArrayOf(Weight, 4)
        from saturations in Gen.ArrayOf(Gen.Choose(1, 200), 3)
        from cutOffs in Gen.ArrayOf(Gen.Choose(0, 100), 3).Select(c => c.OrderBy(x => x).ToArray())
        from stepOne in Gen.Choose(1, 6)
        from stepTwo in Gen.Choose(stepOne, 14)
        from greenAfter in Gen.Choose(0, 21)
        select new Zhejiang5Parameters
        {
            ConfirmedWeight = weights[0], LocalShareWeight = weights[1], ClusterWeight = weights[2], NewCasesWeight = weights[3],
            ConfirmedSaturation = saturations[0], ClusterSaturation = saturations[1], NewCasesSaturation = saturations[2],
            YellowFrom = cutOffs[0], OrangeFrom = cutOffs[1], RedFrom = cutOffs[2],
            StepDownOneAfterQuietDays = stepOne, StepDownTwoAfterQuietDays = stepTwo,
            GreenAfterQuietDays = greenAfter == 0 ? null : greenAfter, // null: the 9 February reading
        };

    static readonly Gen<CountyIndicators> CountyWithANewCaseToday =
        from confirmed in Gen.Choose(1, 200)
        from local in Gen.Choose(0, confirmed)
        from clusters in Gen.Choose(0, 6)
        from newLast7Days in Gen.Choose(1, Math.Min(confirmed, 30))
        select new CountyIndicators
        {
            ConfirmedTotal = confirmed,
            LocalConfirmed = local,
            ImportedConfirmed = confirmed - local,
            LocalShare = (double)local / confirmed,
            ClustersLast14Days = clusters,
            NewLast7Days = newLast7Days,
            NewLast14Days = newLast7Days,
            DaysSinceLastNewCase = 0,
        };

    public static Arbitrary<ZhejiangCounty> Counties() => Arb.From(
        from parameters in Gen.Frequency((1, Gen.Constant(new Zhejiang5Parameters())), (1, Gen.Constant(Zhejiang5Parameters.February9)), (3, Parameters))
        from indicators in CountyWithANewCaseToday
        select new ZhejiangCounty(parameters, indicators));
}
