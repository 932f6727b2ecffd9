using System;
using System.Collections.Generic;
using EpiGrid.Cells;
using EpiGrid.Counties.Rules;

namespace EpiGrid.Tests.Rules;

/// <summary>
/// Builds a county's snapshot in Zhejiang local time (UTC+8). "Days ago" are local calendar days before
/// <see cref="Now"/>; cases are placed at 09:00 local unless a time of day is given.
/// </summary>
sealed class County
{
    public static readonly TimeSpan ChinaTime = TimeSpan.FromHours(8);

    /// <summary>17 February 2020, 10:00 in Hangzhou: the day the national county rule was issued.</summary>
    public static readonly DateTimeOffset DefaultNow = new(2020, 2, 17, 10, 0, 0, ChinaTime);

    static readonly TimeSpan DefaultTimeOfDay = TimeSpan.FromHours(9);

    readonly List<CaseFact> cases = [];
    int population = 1_000_000;

    County(DateTimeOffset now) => Now = now;

    public DateTimeOffset Now { get; }

    public static County Today() => new(DefaultNow);

    public static County At(DateTimeOffset now) => new(now.ToOffset(ChinaTime));

    public County WithPopulation(int people)
    {
        population = people;
        return this;
    }

    public County Confirmed(int count, int daysAgo = 0, string? cluster = null, bool local = true,
        CaseStatus status = CaseStatus.Active, TimeSpan? at = null) =>
        Add(CaseKind.Confirmed, count, daysAgo, cluster, local, status, at);

    public County Suspected(int count, int daysAgo = 0, string? cluster = null, CaseStatus status = CaseStatus.Active) =>
        Add(CaseKind.Suspected, count, daysAgo, cluster, local: true, status, at: null);

    public County Asymptomatic(int count, int daysAgo = 0, string? cluster = null, CaseStatus status = CaseStatus.Active) =>
        Add(CaseKind.Asymptomatic, count, daysAgo, cluster, local: true, status, at: null);

    /// <summary>A case reported with a time after now (a replay evaluating the county as of an earlier moment).</summary>
    public County ConfirmedAfterNow(int count, TimeSpan after, string? cluster = null)
    {
        for (var n = 0; n < count; n++) cases.Add(Case(CaseKind.Confirmed, Now + after, cluster, true, CaseStatus.Active));
        return this;
    }

    public County ConfirmedAt(DateTimeOffset occurredAt, string? cluster = null)
    {
        cases.Add(Case(CaseKind.Confirmed, occurredAt, cluster, true, CaseStatus.Active));
        return this;
    }

    public CountySnapshot Snapshot() => new("330106", population, cases.ToArray(), Now, ChinaTime);

    public CountyIndicators Indicators() => CountyIndicators.Compute(Snapshot());

    public ColourDecision EvaluatedBy(IColourRuleSet rules) => rules.Evaluate(Indicators());

    County Add(CaseKind kind, int count, int daysAgo, string? cluster, bool local, CaseStatus status, TimeSpan? at)
    {
        var day = Now.Date.AddDays(-daysAgo);
        var occurredAt = new DateTimeOffset(day + (at ?? DefaultTimeOfDay), ChinaTime);
        for (var n = 0; n < count; n++) cases.Add(Case(kind, occurredAt, cluster, local, status));
        return this;
    }

    CaseFact Case(CaseKind kind, DateTimeOffset occurredAt, string? cluster, bool local, CaseStatus status) =>
        new($"case-{cases.Count + 1}", "cell-1", kind, local, cluster, occurredAt, status, cases.Count + 1);
}
