using EpiGrid.Geography;
using EpiGrid.People;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using EpiGrid.Counties.Rules;
using EpiGrid.Platform;

namespace EpiGrid.Grains.People;

/// <summary>
/// A county's spatial screening (issue 16): holds the county's colour history under the default rule set and who stayed
/// there within the last 14 days, and tells those persons when the county records a red, orange or yellow colour. Both are
/// read from the store when it wakes (the county's stream; the persons' records name the counties of their stays), and a
/// person it could not reach is asked again, so a lost message or a restart forgets no visitor. Thin: the screening itself is
/// <see cref="SpatialScreening"/>, decided again by each person (<see cref="PersonDecider.PlaceTurned"/>).
/// </summary>
public sealed class PlaceScreeningGrain(
    IDocumentStore store,
    RuleBook rules,
    [FromKeyedServices(Clocks.Domain)] TimeProvider clock,
    ILogger<PlaceScreeningGrain> log) : Grain, IPlaceScreeningGrain
{
    static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(30);
    const int PersonsInParallel = 16;

    List<ColourSpell> spells = [];
    long streamVersion;
    /// <summary>Person reference → their stays in this county still screened (ended less than 14 days ago).</summary>
    readonly Dictionary<string, List<StayRecord>> visitors = new(StringComparer.Ordinal);
    readonly List<(string PersonRef, ColourSpell Spell)> unreached = [];
    IGrainTimer? retry;
    bool visitorsLoaded;
    /// <summary>How far back a risky colour can still concern a visitor whose stay ended less than 14 days ago.</summary>
    static readonly TimeSpan RecentRisk = TimeSpan.FromDays(60);

    string Code => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        await ReadTimeline(cancellationToken);
        // A county that was never red, orange or yellow lately has nothing to tell anyone: its visitors are read only when
        // it has (one query, not one per idle county).
        if (spells.Any(s => SpatialScreening.RiskOf(s.Colour) is not null && (s.Until ?? DateTimeOffset.MaxValue) >= clock.GetUtcNow() - RecentRisk))
            await LoadVisitors(cancellationToken);
    }

    /// <summary>
    /// Reads who stayed here within the last 14 days from their records, and asks each of them again about the risky colours
    /// they were not screened against (recorded while no activation held the county, or a message lost), once this
    /// activation runs, so persons asking for the timeline meanwhile are answered.
    /// </summary>
    async Task LoadVisitors(CancellationToken cancellationToken = default)
    {
        if (visitorsLoaded) return;
        await using var session = store.QuerySession();
        var code = Code;
        var records = await session.Query<PersonRecord>().Where(r => r.Stays.Any(s => s.County == code)).ToListAsync(cancellationToken);
        var now = clock.GetUtcNow();
        var missed = new List<(string, ColourSpell)>();
        foreach (var record in records)
            foreach (var stay in record.Stays.Where(s => s.County == code && Screened(s, now)))
            {
                Remember(record.Id, stay);
                missed.AddRange(Risky(stay, spells.Where(s => s.Version > stay.NotedThrough)).Select(s => (record.Id, s)));
            }
        visitorsLoaded = true;
        if (missed.Count == 0) return;
        unreached.AddRange(missed.Distinct());
        retry ??= this.RegisterGrainTimer(Retry, new GrainTimerCreationOptions(TimeSpan.Zero, Timeout.InfiniteTimeSpan));
    }

    public Task<IReadOnlyList<ColourSpell>> Timeline() => Task.FromResult<IReadOnlyList<ColourSpell>>(spells);

    public async Task Visited(string personRef, IReadOnlyList<Stay> stays, long seenVersion)
    {
        var now = clock.GetUtcNow();
        foreach (var stay in stays.Where(s => s.County == Code))
        {
            var record = new StayRecord(Code, stay.From, stay.To, seenVersion);
            if (Screened(record, now)) Remember(personRef, record);
            // A colour recorded after the person read the timeline and before this call: they have not seen it.
            await Tell(Risky(record, spells.Where(s => s.Version > seenVersion)).Select(s => (personRef, s)).ToList());
        }
    }

    public async Task ColoursRecorded(IReadOnlyList<EpiGrid.Counties.CountyColourChanged> changes, long firstVersion)
    {
        var newest = spells.Count == 0 ? 0 : spells[^1].Version;
        if (firstVersion > streamVersion + 1) await ReadTimeline(); // a message missed: the store has it
        else
            foreach (var (change, version) in changes.Select((c, i) => (c, firstVersion + i)).Where(x => x.Item2 > streamVersion))
            {
                if (change.RuleSet == rules.Default.Name) Append(change, version);
                streamVersion = version;
            }
        var now = clock.GetUtcNow();
        foreach (var (person, stays) in visitors.ToList())
        {
            stays.RemoveAll(s => !Screened(s, now));
            if (stays.Count == 0) visitors.Remove(person);
        }
        var fresh = spells.Where(s => s.Version > newest).ToList();
        if (!fresh.Any(s => SpatialScreening.RiskOf(s.Colour) is not null)) return;
        await LoadVisitors();
        await Tell(visitors.SelectMany(v => v.Value.SelectMany(stay => Risky(stay, fresh)).Distinct().Select(s => (v.Key, s))).ToList());
    }

    async Task ReadTimeline(CancellationToken cancellationToken = default)
    {
        await using var session = store.QuerySession();
        var events = await session.Events.FetchStreamAsync(EpiGrid.Platform.StreamKeys.County(Code), token: cancellationToken);
        spells = [];
        foreach (var e in events)
            if (e.Data is EpiGrid.Counties.CountyColourChanged c && c.RuleSet == rules.Default.Name) Append(c, e.Version);
        streamVersion = events.Count == 0 ? 0 : events[^1].Version;
    }

    void Append(EpiGrid.Counties.CountyColourChanged change, long version)
    {
        // A change recorded because a new rule version took effect, the colour staying the same, continues the spell: the
        // county did not change colour, and its visitors were told of it already.
        if (spells.Count > 0 && spells[^1].Colour == change.Colour) return;
        if (spells.Count > 0) spells[^1] = spells[^1] with { Until = change.Meta.OccurredAt };
        spells.Add(new ColourSpell(Code, change.Colour, change.Meta.OccurredAt, null, change.RuleSet, change.RuleVersion, version));
    }

    void Remember(string personRef, StayRecord stay)
    {
        var stays = visitors.TryGetValue(personRef, out var held) ? held : visitors[personRef] = [];
        if (!stays.Any(s => s.From == stay.From && s.To == stay.To)) stays.Add(stay);
    }

    static bool Screened(StayRecord stay, DateTimeOffset now) => SpatialScreening.StillScreened(new Stay(stay.County, null, stay.From, stay.To), now);

    static IEnumerable<ColourSpell> Risky(StayRecord stay, IEnumerable<ColourSpell> candidates) =>
        SpatialScreening.Screen(new Stay(stay.County, null, stay.From, stay.To), candidates).Select(x => x.Spell);

    /// <summary>Tells each person of a spell; those not reached are asked again later.</summary>
    async Task Tell(IReadOnlyList<(string PersonRef, ColourSpell Spell)> news)
    {
        if (news.Count == 0) return;
        var failed = new List<(string, ColourSpell)>();
        await Parallel.ForEachAsync(news, new ParallelOptions { MaxDegreeOfParallelism = PersonsInParallel, TaskScheduler = TaskScheduler.Current },
            async (item, _) =>
            {
                try
                {
                    var result = await GrainFactory.GetGrain<IPersonGrain>(item.PersonRef).PlaceTurned(item.Spell);
                    if (result.Outcome is Outcome.Unavailable or Outcome.Unknown) lock (failed) failed.Add(item);
                }
                catch (Exception e)
                {
                    log.LogWarning(e, "Spatial screening of {County} could not reach person {Person}; will ask again", Code, item.PersonRef);
                    lock (failed) failed.Add(item);
                }
            });
        if (failed.Count == 0) return;
        unreached.AddRange(failed);
        retry ??= this.RegisterGrainTimer(Retry, new GrainTimerCreationOptions(RetryAfter, Timeout.InfiniteTimeSpan));
    }

    async Task Retry()
    {
        retry?.Dispose();
        retry = null;
        var again = unreached.Distinct().ToList();
        unreached.Clear();
        await Tell(again);
    }
}
