using EpiGrid.Alerts;
using EpiGrid.Resumption;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using EpiGrid.Platform;

namespace EpiGrid.Grains.Resumption;

/// <summary>
/// The province's and cities' index, summed exactly from the counties' tallies (enterprises, resumed, kWh,
/// baseline), pushed to the screens as it changes. Looks for lagging counties once readings settle.
/// A lag alert derives from no single stored event (it compares a county with the province over days), so the alert
/// sweep cannot find one that was lost: this grain keeps the days it checked as unsettled until the ledger confirms
/// the alerts committed, and a new activation (after its silo died, woken by its reminder) checks every day it holds.
/// The alert ids name county and day, so checking again never raises one twice.
/// </summary>
public sealed class ProvinceResumptionGrain(
    OneOfAKindGrains oneOfAKind,
    Geography.Province province,
    ResumptionIndexRule rule,
    IOptions<ResumptionOptions> options,
    [FromKeyedServices(Clocks.Domain)] TimeProvider clock,
    ILogger<ProvinceResumptionGrain> log) : Grain, IProvinceResumptionGrain, IRemindable
{
    public const string ReminderName = "resumption-lag";

    readonly Dictionary<string, Dictionary<DateOnly, ResumptionTally>> counties = new(StringComparer.Ordinal);
    readonly HashSet<DateOnly> unsettled = [];

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        await Refresh();
        var o = options.Value;
        this.RegisterGrainTimer(Refresh, new GrainTimerCreationOptions(o.RefreshInterval, o.RefreshInterval) { KeepAlive = true });
        this.RegisterGrainTimer(CheckLag, new GrainTimerCreationOptions(o.LagCheckInterval, o.LagCheckInterval) { KeepAlive = true });
        // What an earlier activation had not yet seen committed is checked again (already raised alerts are skipped).
        unsettled.UnionWith(counties.Values.SelectMany(c => c.Keys));
        try
        {
            var period = o.LagCheckInterval < TimeSpan.FromMinutes(1) ? TimeSpan.FromMinutes(1) : o.LagCheckInterval;
            await this.RegisterOrUpdateReminder(ReminderName, period, period);
        }
        catch (Exception e)
        {
            // The timers run while this activation lives; the next activation registers it again.
            log.LogWarning(e, "Could not register the resumption lag check's reminder");
        }
    }

    /// <summary>The reminder only wakes the grain on a live silo, so lag checks go on when no county writes.</summary>
    public Task ReceiveReminder(string reminderName, TickStatus status) => Task.CompletedTask;

    public Task CountyChanged(string county, IReadOnlyDictionary<DateOnly, ResumptionTally> days)
    {
        if (!counties.TryGetValue(county, out var known)) counties[county] = known = [];
        foreach (var (day, tally) in days) known[day] = tally;
        Publish(county, days.Keys);
        unsettled.UnionWith(days.Keys);
        return Task.CompletedTask;
    }

    public Task<ResumptionMap> Map(DateOnly? day, bool byIndustry)
    {
        var on = day ?? LatestDay();
        var byCounty = counties.Where(c => c.Value.ContainsKey(on)).ToDictionary(c => c.Key, c => rule.Figures(on, c.Value[on]));
        var byCity = counties.Where(c => c.Value.ContainsKey(on)).GroupBy(c => province.Find(c.Key)!.CityCode)
            .ToDictionary(g => g.Key, g => rule.Figures(on, Sum(g.Select(c => c.Value[on]))));
        return Task.FromResult(new ResumptionMap(rule.Figures(on, ProvinceTally(on), byIndustry), byCity, byCounty));
    }

    public async Task<IReadOnlyList<ResumptionFigures>> History(DateOnly from, DateOnly to, DateTimeOffset? knownAt, bool byIndustry)
    {
        IEnumerable<IReadOnlyDictionary<DateOnly, ResumptionTally>> source = knownAt is { } moment ? await KnownAt(moment) : counties.Values;
        return source.SelectMany(c => c.Keys).Where(d => d >= from && d <= to).Distinct().Order()
            .Select(d => rule.Figures(d, Tally(source, d), byIndustry)).ToList();
    }

    /// <summary>
    /// Every county's tallies as EpiGrid knew them at a moment, replayed by the county grain from its own stream (the
    /// county history's replay, so the province is their exact sum then as it is now).
    /// </summary>
    Task<IReadOnlyDictionary<DateOnly, ResumptionTally>[]> KnownAt(DateTimeOffset moment) =>
        Task.WhenAll(province.Counties.Select(c => GrainFactory.GetGrain<IResumptionGrain>(c.Code).Tallies(moment)));

    /// <summary>Asks every county again, in case a one-way message from one of them was lost.</summary>
    async Task Refresh()
    {
        var all = await Task.WhenAll(province.Counties.Select(async c =>
            (c.Code, Tallies: await GrainFactory.GetGrain<IResumptionGrain>(c.Code).Tallies(null))));
        foreach (var (code, tallies) in all.Where(a => a.Tallies.Count > 0))
            counties[code] = new Dictionary<DateOnly, ResumptionTally>(tallies);
    }

    void Publish(string county, IEnumerable<DateOnly> days)
    {
        var city = province.Find(county)?.CityCode ?? "";
        var changes = new List<ResumptionChange>();
        foreach (var day in days)
        {
            changes.Add(new(ResumptionChange.CountyScope, county, rule.Figures(day, counties[county][day])));
            changes.Add(new(ResumptionChange.CityScope, city, rule.Figures(day, Sum(counties
                .Where(c => province.Find(c.Key)?.CityCode == city && c.Value.ContainsKey(day)).Select(c => c.Value[day])))));
            changes.Add(new(ResumptionChange.ProvinceScope, "province", rule.Figures(day, ProvinceTally(day))));
        }
        _ = oneOfAKind.PushHub.Publish(PushBatch.Of(changes));
    }

    /// <summary>
    /// A change on day D can start or complete a lagging run ending on D to D + LagDays - 1. Checked on a timer, not
    /// on every message, so a bulk upload arriving county by county does not alert on a half-uploaded day.
    /// </summary>
    async Task CheckLag()
    {
        if (unsettled.Count == 0) return;
        var o = options.Value;
        var checkedDays = unsettled.ToList();
        var ends = checkedDays.SelectMany(d => Enumerable.Range(0, Math.Max(1, o.LagDays)).Select(d.AddDays)).ToHashSet();
        unsettled.Clear();
        var provinceFigures = ends.SelectMany(d => Enumerable.Range(0, Math.Max(1, o.LagDays)).Select(i => d.AddDays(-i))).Distinct()
            .ToDictionary(d => d, d => rule.Figures(d, ProvinceTally(d)));
        var now = clock.GetUtcNow();
        var alerts = new List<AlertDraft>();
        foreach (var (code, days) in counties)
        {
            var figures = days.ToDictionary(d => d.Key, d => rule.Figures(d.Key, d.Value));
            alerts.AddRange(ends.Where(figures.ContainsKey)
                .Select(d => ResumptionLagRule.Evaluate(code, d, figures, provinceFigures, o, now)).OfType<AlertDraft>());
        }
        if (alerts.Count == 0) return;
        IReadOnlyList<CommandResult> results;
        try
        {
            results = await oneOfAKind.Ledger.RaiseConfirmed(alerts);
        }
        catch (Exception e)
        {
            log.LogWarning(e, "The alert ledger did not answer; the resumption index's days are checked again at the next tick");
            unsettled.UnionWith(checkedDays);
            return;
        }
        if (results.Count(r => r.Outcome == Outcome.Created) is > 0 and var raised)
            log.LogInformation("{Count} counties lag the province's resumption index", raised);
        if (results.Count(r => r.Outcome is Outcome.Unavailable or Outcome.Unknown) is > 0 and var pending)
        {
            log.LogWarning("{Count} resumption lag alerts not committed; checked again at the next tick", pending);
            unsettled.UnionWith(checkedDays);
        }
    }

    ResumptionTally ProvinceTally(DateOnly day) => Tally(counties.Values, day);

    static ResumptionTally Tally(IEnumerable<IReadOnlyDictionary<DateOnly, ResumptionTally>> counties, DateOnly day) =>
        Sum(counties.Where(c => c.ContainsKey(day)).Select(c => c[day]));

    static ResumptionTally Sum(IEnumerable<ResumptionTally> tallies) => ResumptionTally.Sum(tallies);

    DateOnly LatestDay() => counties.Values.SelectMany(c => c.Keys).DefaultIfEmpty(
        province.LocalDay(clock.GetUtcNow())).Max();
}
