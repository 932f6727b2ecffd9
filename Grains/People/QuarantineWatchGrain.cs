using EpiGrid.Geography;
using EpiGrid.People;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using EpiGrid.Platform;

namespace EpiGrid.Grains.People;

/// <summary>
/// The durable deadlines of a county's quarantines. Its state is rebuilt from the person register when it wakes
/// (after a restart too), so no deadline depends on memory; a timer looks for local days that ended without a
/// check-in and tells each person, who records the miss (and raises its alert) at most once per day.
/// While it watches anyone it holds an Orleans reminder (kept in PostgreSQL, <see cref="Storage.PostgresReminderTable"/>):
/// if its silo dies, the reminder wakes it on another within a period, without waiting for a silo to start.
/// </summary>
public sealed class QuarantineWatchGrain(
    IDocumentStore store,
    Province province,
    IOptions<TravellerOptions> options,
    [FromKeyedServices(Clocks.Domain)] TimeProvider clock,
    ILogger<QuarantineWatchGrain> log) : Grain, IQuarantineWatchGrain, IRemindable
{
    public const string ReminderName = "quarantine-deadlines";

    readonly Dictionary<string, WatchEntry> watched = new(StringComparer.Ordinal);
    bool reminding;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var county = this.GetPrimaryKeyString();
        await using var session = store.QuerySession();
        foreach (var r in await session.Query<PersonRecord>().Where(p => p.County == county && p.Colour != "green").ToListAsync(cancellationToken))
            watched[r.Id] = r.ToEntry();
        var every = options.Value.WatchInterval;
        this.RegisterGrainTimer(LookForMissedDays, new GrainTimerCreationOptions(every, every) { KeepAlive = true });
        // A reminder left from before (it may be what woke this activation) is dropped when no one is watched any more.
        reminding = await this.GetReminder(ReminderName) is not null;
        await KeepReminder();
    }

    public Task ReceiveReminder(string reminderName, TickStatus status) => LookForMissedDays();

    /// <summary>A reminder while anyone is watched, none otherwise (90 idle counties cost no rows and no ticks).</summary>
    async Task KeepReminder()
    {
        if (watched.Count > 0 == reminding) return;
        try
        {
            if (watched.Count > 0)
            {
                var period = options.Value.WatchInterval < TimeSpan.FromMinutes(1) ? TimeSpan.FromMinutes(1) : options.Value.WatchInterval;
                await this.RegisterOrUpdateReminder(ReminderName, period, period);
                reminding = true;
            }
            else
            {
                if (await this.GetReminder(ReminderName) is { } reminder) await this.UnregisterReminder(reminder);
                reminding = false;
            }
        }
        catch (Exception e)
        {
            // The timer keeps the deadlines while this activation lives; the next change tries again.
            log.LogWarning(e, "Could not update the quarantine reminder of county {County}", this.GetPrimaryKeyString());
        }
    }

    public Task Track(WatchEntry entry)
    {
        Watch(entry);
        return KeepReminder();
    }

    public Task TrackMany(IReadOnlyList<WatchEntry> entries)
    {
        foreach (var entry in entries) Watch(entry);
        return KeepReminder();
    }

    void Watch(WatchEntry entry)
    {
        if (entry.Colour == "green") watched.Remove(entry.PersonRef);
        else if (watched.TryGetValue(entry.PersonRef, out var known) && known.CoveredThrough > entry.CoveredThrough)
            watched[entry.PersonRef] = entry with { CoveredThrough = known.CoveredThrough };
        else watched[entry.PersonRef] = entry;
    }

    public Task Wake() => Task.CompletedTask;

    public Task<CheckInsDue> DueIn(string cellId)
    {
        var today = province.LocalDay(clock.GetUtcNow());
        var due = watched.Values.Where(e => e.CellId == cellId && e.CoveredThrough < today)
            .OrderBy(e => e.CoveredThrough).ThenBy(e => e.PersonRef, StringComparer.Ordinal).ToList();
        return Task.FromResult(new CheckInsDue(today, due));
    }

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
                    var result = await GrainFactory.GetGrain<IPersonGrain>(entry.PersonRef).DayMissed(day);
                    if (!result.Succeeded)
                    {
                        log.LogWarning("Could not record {Day} of {Person} ({Error}); will retry", day, entry.PersonRef, result.Error);
                        break;
                    }
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
