using System;
using System.Linq;
using EpiGrid.Cells;
using EpiGrid.Counties.Rules;
using FsCheck;
using FsCheck.Fluent;

namespace EpiGrid.Tests.Rules;

/// <summary>A random county: up to 120 cases of every kind and status, some in the future, some sharing cluster ids.</summary>
public sealed record RandomCounty(CountySnapshot Snapshot)
{
    public CountyIndicators Indicators => CountyIndicators.Compute(Snapshot);

    public override string ToString() =>
        $"Now={Snapshot.Now:O}, Population={Snapshot.Population}, Cases=[{string.Join("; ", Snapshot.Cases.Select(c =>
            $"{c.Kind.Name()}/{c.Status.Name()}/{(c.Local ? "local" : "imported")}/{c.ClusterId ?? "-"}@{c.OccurredAt:O}"))}]";
}

/// <summary>Registers <see cref="RandomCounty"/> for <c>[Property(Arbitrary = ...)]</c>.</summary>
public static class CaseGenerators
{
    static readonly DateTimeOffset Epoch = new(2020, 2, 1, 0, 0, 0, County.ChinaTime);

    /// <summary>Any time of day, with the two ends of the day drawn often.</summary>
    public static readonly Gen<TimeSpan> TimeOfDay = Gen.Frequency(
        (1, Gen.Elements(TimeSpan.Zero, TimeSpan.FromDays(1) - TimeSpan.FromTicks(1))),
        (4, Gen.Choose(0, 86_399_999).Select(ms => TimeSpan.FromMilliseconds(ms))));

    static readonly Gen<CaseKind> Kinds = Gen.Frequency(
        (6, Gen.Constant(CaseKind.Confirmed)), (2, Gen.Constant(CaseKind.Suspected)), (1, Gen.Constant(CaseKind.Asymptomatic)));

    static readonly Gen<CaseStatus> Statuses = Gen.Frequency(
        (5, Gen.Constant(CaseStatus.Active)), (2, Gen.Constant(CaseStatus.Hospitalised)), (2, Gen.Constant(CaseStatus.Recovered)),
        (1, Gen.Constant(CaseStatus.Died)), (1, Gen.Constant(CaseStatus.RuledOut)));

    static readonly Gen<string?> ClusterIds = Gen.Elements<string?>(null, null, null, "", "a", "b", "c", "d");

    /// <summary>Minutes before now; negative values are cases reported after now.</summary>
    static Gen<int> MinutesAgo(bool allowFuture) => allowFuture
        ? Gen.Frequency((1, Gen.Choose(-2 * 1440, -1)), (3, Gen.Choose(0, 7 * 1440)), (3, Gen.Choose(0, 30 * 1440)))
        : Gen.Frequency((1, Gen.Choose(0, 7 * 1440)), (1, Gen.Choose(0, 30 * 1440)));

    public static Gen<CountySnapshot> Snapshots(bool allowFuture = true, int maxCases = 120) =>
        from nowMinutes in Gen.Choose(20 * 1440, 40 * 1440)
        from population in Gen.Frequency(
            (1, Gen.Constant(0)), (4, Gen.Choose(1_000, 50_000)), (4, Gen.Choose(50_000, 2_000_000)))
        from count in Gen.Choose(0, maxCases)
        from cases in Gen.ArrayOf(Case(allowFuture), count)
        from quietDays in Gen.Frequency((2, Gen.Constant(0)), (1, Gen.Choose(1, 20)))
        select Snapshot(Epoch.AddMinutes(nowMinutes), population, cases, quietDays);

    public static Arbitrary<RandomCounty> RandomCounties() => Arb.From(Snapshots().Select(s => new RandomCounty(s)));

    public static Arbitrary<PastOnlyCounty> PastOnlyCounties() =>
        Arb.From(Snapshots(allowFuture: false).Select(s => new PastOnlyCounty(s)));

    static Gen<Func<DateTimeOffset, int, CaseFact>> Case(bool allowFuture) =>
        from kind in Kinds
        from status in Statuses
        from local in Gen.Elements(true, false)
        from cluster in ClusterIds
        from minutesAgo in MinutesAgo(allowFuture)
        from seconds in Gen.Choose(0, 59)
        select (Func<DateTimeOffset, int, CaseFact>)((now, n) => new CaseFact(
            $"case-{n}", $"cell-{n % 7}", kind, local, cluster,
            now.AddMinutes(-minutesAgo).AddSeconds(minutesAgo < 0 ? seconds : -seconds), status, n));

    /// <summary>Cases are generated relative to now; <paramref name="quietDays"/> moves now on so that some counties have gone quiet.</summary>
    static CountySnapshot Snapshot(DateTimeOffset now, int population, Func<DateTimeOffset, int, CaseFact>[] cases, int quietDays) =>
        new("330106", population, cases.Select((c, n) => c(now, n)).ToArray(), now.AddDays(quietDays), County.ChinaTime);
}
