using EpiGrid.Grains.Storage;
using EpiGrid.Resumption;
using Microsoft.Extensions.DependencyInjection;
using EpiGrid.Platform;

namespace EpiGrid.Grains.Resumption;

/// <summary>
/// A county's enterprises and their daily readings: decides which readings are new, commits them (one event per
/// chunk, with the day registers that make a re-upload a duplicate), recomputes the days they touched and tells
/// the province. Wakes from the registers, not by replaying its stream.
/// </summary>
public sealed class ResumptionGrain(
    IEventLog eventLog,
    ResumptionRecords records,
    ResumptionIndexRule rule,
    Geography.Province province,
    [FromKeyedServices(Clocks.Domain)] TimeProvider clock,
    ILogger<ResumptionGrain> log) : Grain, IResumptionGrain
{
    ResumptionBook book = null!;

    string Code => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (province.Find(Code) is null) throw new ArgumentException($"Unknown county {Code}");
        var (enterprises, days, version) = await records.ForCounty(Code, cancellationToken);
        book = new ResumptionBook(rule, enterprises.Select(e => e.ToEnterprise()), days, version);
    }

    public Task<Enterprise?> GetEnterprise(string enterpriseId) => Task.FromResult(book.Enterprises.GetValueOrDefault(enterpriseId));

    public async Task<IReadOnlyDictionary<DateOnly, ResumptionTally>> Tallies(DateTimeOffset? knownAt) =>
        (knownAt is { } moment ? await KnownAt(moment) : book).Tallies();

    public Task<ResumptionFigures> Figures(DateOnly? day, bool byIndustry)
    {
        var tallies = book.Tallies();
        var on = day ?? (tallies.Count > 0 ? tallies.Keys.Max() : Today());
        return Task.FromResult(rule.Figures(on, tallies.GetValueOrDefault(on, ResumptionTally.Zero), byIndustry));
    }

    public async Task<IReadOnlyList<ResumptionFigures>> History(DateOnly from, DateOnly to, DateTimeOffset? knownAt, bool byIndustry) =>
        (await Tallies(knownAt)).Where(t => t.Key >= from && t.Key <= to).OrderBy(t => t.Key)
            .Select(t => rule.Figures(t.Key, t.Value, byIndustry)).ToList();

    /// <summary>The book as it stood at a moment, from the stream: what was recorded by then (EpiGrid's clock).</summary>
    async Task<ResumptionBook> KnownAt(DateTimeOffset moment)
    {
        var then = new ResumptionBook(rule, [], [], 0);
        foreach (var e in await records.History(Code))
        {
            if (e.Meta.RecordedAt > moment) continue;
            switch (e)
            {
                case EnterpriseRegistered r: then.Register(r.Enterprise); break;
                case EnterpriseDetailsChanged c: then.Register(c.Enterprise); break;
                case ReadingsRecorded r: then.Apply(r.Readings); break;
                case StaffReported s: then.Apply(s.Reports); break;
            }
        }
        return then;
    }

    public async Task<IReadOnlyList<CommandResult>> Register(IReadOnlyList<Enterprise> enterprises, Provenance by)
    {
        var results = new CommandResult[enterprises.Count];
        var events = new List<IEpiEvent>();
        var changed = new Dictionary<string, (Enterprise? Before, Enterprise After)>(StringComparer.Ordinal);
        for (var i = 0; i < enterprises.Count; i++)
        {
            var e = enterprises[i];
            var known = changed.TryGetValue(e.Id, out var c) ? c.After : book.Enterprises.GetValueOrDefault(e.Id);
            if (e.County != Code) results[i] = CommandResult.Rejected(Outcome.Invalid, "county", $"Enterprise is not of county {Code}.");
            else if (known == e) results[i] = new CommandResult(Outcome.Unchanged, e.Id, Version: book.Version);
            else
            {
                var meta = Meta(by, known is null ? "enterprise registered" : "enterprise details changed");
                events.Add(known is null ? new EnterpriseRegistered(e, meta) : new EnterpriseDetailsChanged(e, meta));
                changed[e.Id] = (changed.TryGetValue(e.Id, out var earlier) ? earlier.Before : known, e);
                results[i] = new CommandResult(known is null ? Outcome.Created : Outcome.Updated, e.Id);
            }
        }
        if (events.Count == 0) return results;

        var failure = await Commit(events, changed.Values.Select(c => (object)EnterpriseRecord.From(c.After)).ToList());
        if (failure is not null) return results.Select(r => r.Outcome is Outcome.Created or Outcome.Updated ? failure with { EntityId = r.EntityId } : r).ToList();
        foreach (var (before, after) in changed.Values) book.Register(after);
        // A new baseline or industry changes every day the enterprise has readings on.
        Announce(changed.Values.Where(c => c.Before is not null
                && (c.Before.BaselineKwhPerDay != c.After.BaselineKwhPerDay || c.Before.Industry != c.After.Industry))
            .SelectMany(c => book.DaysOf(c.After.Id)));
        return results.Select(r => r.Outcome is Outcome.Created or Outcome.Updated ? r with { Version = book.Version } : r).ToList();
    }

    public async Task<ReadingsResult> Record(IReadOnlyList<ElectricityReading> readings, Provenance by)
    {
        var (accepted, duplicates, rejected) = book.Sort(readings);
        if (accepted.Count == 0) return new ReadingsResult(0, duplicates, rejected);

        var days = accepted.Select(r => r.Day).Distinct().ToList();
        var registers = book.DayRecordsWith(Code, accepted);
        var failure = await Commit([new ReadingsRecorded(Code, accepted, Meta(by, $"{accepted.Count} daily readings"))], registers);
        if (failure is not null)
        {
            var failed = readings.Select((r, i) => (r, i)).Where(x => accepted.Contains(x.r))
                .Select(x => new ReadingRejected(x.i, "", failure.Error!));
            return new ReadingsResult(0, duplicates, [.. rejected, .. failed]);
        }
        book.Apply(accepted);
        Announce(days);
        return new ReadingsResult(accepted.Count, duplicates, rejected);
    }

    public async Task<ReadingsResult> ReportStaff(IReadOnlyList<StaffReport> reports, Provenance by)
    {
        var (accepted, duplicates, rejected) = book.Sort(reports);
        if (accepted.Count == 0) return new ReadingsResult(0, duplicates, rejected);
        var failure = await Commit([new StaffReported(Code, accepted, Meta(by, $"{accepted.Count} staff reports"))], book.DayRecordsWith(Code, [], accepted));
        if (failure is not null) return new ReadingsResult(0, duplicates, [.. rejected, .. reports.Select((r, i) => new ReadingRejected(i, "", failure.Error!))]);
        book.Apply(accepted);
        Announce(accepted.Select(r => r.Day));
        return new ReadingsResult(accepted.Count, duplicates, rejected);
    }

    async Task<CommandResult?> Commit(IReadOnlyList<IEpiEvent> events, IReadOnlyList<object> upserts)
    {
        try
        {
            await eventLog.AppendAsync(new StreamWrite(StreamKeys.Resumption(Code), book.Version, events, [], upserts));
            book.Version += events.Count;
            return null;
        }
        catch (Exception e) when (e is StreamConflictException or StoreUnavailableException or DuplicateRecordException
                                   or WriteRefusedException or CommitOutcomeUnknownException)
        {
            // Another activation wrote first, or a commit nobody could confirm: wake again from the store rather than
            // decide on stale state.
            if (e is StreamConflictException or CommitOutcomeUnknownException) DeactivateOnIdle();
            log.LogWarning(e, "Resumption of county {County} could not commit", Code);
            return e switch
            {
                WriteRefusedException => CommandResult.Rejected(Outcome.Invalid, "", "The store refused the change's text; nothing was recorded."),
                CommitOutcomeUnknownException => CommandResult.Rejected(Outcome.Unknown, "", "The connection to the store was lost while the change committed."),
                _ => CommandResult.Rejected(Outcome.Unavailable, "", "The event store could not commit the change; nothing was recorded. Retry."),
            };
        }
    }

    void Announce(IEnumerable<DateOnly> days)
    {
        var tallies = book.Tallies();
        var changed = days.Distinct().ToDictionary(d => d, d => tallies.GetValueOrDefault(d, ResumptionTally.Zero));
        if (changed.Count > 0) _ = GrainFactory.GetGrain<IProvinceResumptionGrain>(0).CountyChanged(Code, changed);
    }

    EventMeta Meta(Provenance by, string reason)
    {
        var now = clock.GetUtcNow();
        return new EventMeta(by.Actor, by.Source, now, now, reason, by.CorrelationId);
    }

    DateOnly Today() => province.LocalDay(clock.GetUtcNow());
}
