using EpiGrid.Geography;
using EpiGrid.People;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace EpiGrid.Grains.People;

/// <summary>
/// The durable deadlines of a county's quarantines. Its state is rebuilt from the person register when it wakes
/// (after a restart too), so no deadline depends on memory; a timer looks for local days that ended without a
/// check-in and tells each person, who records the miss (and raises its alert) at most once per day.
/// </summary>
public sealed class QuarantineWatchGrain(
    IDocumentStore store,
    Province province,
    IOptions<TravellerOptions> options,
    [FromKeyedServices(Clocks.Domain)] TimeProvider clock,
    ILogger<QuarantineWatchGrain> log) : Grain, IQuarantineWatchGrain
{
    readonly Dictionary<string, WatchEntry> watched = new(StringComparer.Ordinal);

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var county = this.GetPrimaryKeyString();
        await using var session = store.QuerySession();
        foreach (var r in await session.Query<PersonRecord>().Where(p => p.County == county && p.Colour != "green").ToListAsync(cancellationToken))
            watched[r.Id] = r.ToEntry();
        var every = options.Value.WatchInterval;
        this.RegisterGrainTimer(LookForMissedDays, new GrainTimerCreationOptions(every, every) { KeepAlive = true });
    }

    public Task Track(WatchEntry entry)
    {
        if (entry.Colour == "green") watched.Remove(entry.PersonRef);
        else if (watched.TryGetValue(entry.PersonRef, out var known) && known.CoveredThrough > entry.CoveredThrough)
            watched[entry.PersonRef] = entry with { CoveredThrough = known.CoveredThrough };
        else watched[entry.PersonRef] = entry;
        return Task.CompletedTask;
    }

    public Task TrackMany(IReadOnlyList<WatchEntry> entries)
    {
        foreach (var entry in entries) Track(entry);
        return Task.CompletedTask;
    }

    public Task Wake() => Task.CompletedTask;

    async Task LookForMissedDays()
    {
        var today = province.LocalDay(clock.GetUtcNow());
        foreach (var entry in watched.Values.ToList())
        {
            // Each day that has ended is examined once, in order: the person records a miss unless they checked in.
            for (var day = entry.CoveredThrough.AddDays(1); day < today; day = day.AddDays(1))
            {
                try
                {
                    await GrainFactory.GetGrain<IPersonGrain>(entry.PersonRef).DayMissed(day);
                }
                catch (Exception e)
                {
                    log.LogWarning(e, "Could not examine {Day} of {Person}; will retry", day, entry.PersonRef);
                    break;
                }
                if (watched.TryGetValue(entry.PersonRef, out var current) && current.CoveredThrough < day)
                    watched[entry.PersonRef] = current with { CoveredThrough = day };
            }
        }
    }
}
