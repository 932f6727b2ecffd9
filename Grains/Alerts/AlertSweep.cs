using EpiGrid.Alerts;
using EpiGrid.Geography;
using EpiGrid.Grains.People;
using EpiGrid.People;
using JasperFx.Events;
using Marten;
using Microsoft.Extensions.Options;
using EpiGrid.Counties;
using EpiGrid.Counties.Rules;
using EpiGrid.Platform;

namespace EpiGrid.Grains.Alerts;

/// <summary>
/// Reads the event log from where it last stopped and finds alert-worthy events whose alert was never raised (a
/// one-way call lost with a silo, a raise the store refused, a ledger that died with its queue). Every kind of alert
/// derives from a stored event: cases and travellers from cells' events, colour changes from counties', missed days,
/// abnormal check-ins and releases from persons', escalations from the <see cref="AlertEscalated"/> decision on the
/// overdue alert's stream. It reads only up to the highest sequence it saw at the previous sweep, so an event whose
/// transaction was still in flight then is not skipped; and the ledger moves the checkpoint on (<see cref="Advance"/>)
/// only once every alert found has been committed, so a raise that fails is looked for again. Of the log it reads only
/// the events an alert can derive from (<see cref="AlertRules.RaisedBy"/>): an import's arrivals, the alerts themselves
/// and the health codes that are no release are most of the log (an imported arrival writes four events, two of
/// which can raise an alert; BENCHMARKS.md "What an imported arrival writes").
/// </summary>
public sealed class AlertSweep(IDocumentStore store, RuleBook rules, MeasureTable measures, IOptions<AlertOptions> options)
{
    const int PageSize = 5000;

    /// <summary>The stored names of <see cref="AlertRules.RaisedBy"/>: the only events the sweep reads.</summary>
    static readonly string[] Sources = AlertRules.RaisedBy.Select(StoredEvents.NameOf).Order(StringComparer.Ordinal).ToArray();

    /// <summary>
    /// Alerts missing from the register, where the sweep stands once they are raised, and how many events it read to
    /// find them.
    /// </summary>
    public sealed record Found(IReadOnlyList<AlertDraft> Missed, AlertSweepCheckpoint Next, int EventsRead);

    public async Task<Found> FindMissedAlerts()
    {
        await using var session = store.QuerySession();
        var checkpoint = await session.LoadAsync<AlertSweepCheckpoint>("alerts") ?? new AlertSweepCheckpoint();
        var drafts = new List<AlertDraft>();
        var read = 0;
        for (var after = checkpoint.Sequence; after < checkpoint.HighWater;)
        {
            var upTo = checkpoint.HighWater;
            var page = await session.Events.QueryAllRawEvents()
                .Where(e => e.Sequence > after && e.Sequence <= upTo && Sources.Contains(e.EventTypeName))
                .OrderBy(e => e.Sequence).Take(PageSize).ToListAsync();
            if (page.Count == 0) break;
            read += page.Count;
            drafts.AddRange(await Derive(session, page));
            after = page[^1].Sequence;
        }
        var newest = await session.Events.QueryAllRawEvents().OrderByDescending(e => e.Sequence).Take(1).ToListAsync();

        var known = drafts.Count == 0
            ? []
            : (await session.LoadManyAsync<AlertRecord>(drafts.Select(d => d.Id).Distinct())).Select(r => r.Id).ToHashSet();
        var next = new AlertSweepCheckpoint
        {
            Sequence = Math.Max(checkpoint.Sequence, checkpoint.HighWater),
            HighWater = newest.Count == 0 ? 0 : newest[0].Sequence,
        };
        return new Found(drafts.Where(d => !known.Contains(d.Id)).DistinctBy(d => d.Id).ToList(), next, read);
    }

    /// <summary>Every alert found by the sweep that produced <paramref name="next"/> is in the register: go on from there.</summary>
    public async Task Advance(AlertSweepCheckpoint next)
    {
        await using var session = store.LightweightSession();
        session.Store(next);
        await session.SaveChangesAsync();
    }

    async Task<IEnumerable<AlertDraft>> Derive(IQuerySession session, IReadOnlyList<IEvent> page)
    {
        var o = options.Value;
        var drafts = new List<AlertDraft>();
        var escalations = new List<AlertEscalated>();
        var checkInsWithoutCell = new List<CheckInRecorded>();
        foreach (var e in page)
        {
            switch (e.Data)
            {
                case CountyColourChanged c:
                    if (AlertRules.ForColourChange(c, e.Version, rules.Default.Name, measures) is { } d) drafts.Add(d);
                    break;
                case AlertEscalated x:
                    escalations.Add(x);
                    break;
                case CheckInRecorded { CellId: null } c when AlertRules.ForPersonEvent(c, "", "", o).Any():
                    checkInsWithoutCell.Add(c);
                    break;
                case IEpiEvent x when AlertRules.CellOfPersonEvent(x) is { Length: > 0 } cell:
                    drafts.AddRange(AlertRules.ForPersonEvent(x, cell, Province.CountyOfCell(cell), o));
                    break;
                case IEpiEvent x:
                    drafts.AddRange(AlertRules.ForCellEvent(x, o));
                    break;
            }
        }
        if (escalations.Count > 0)
        {
            // The escalation names the overdue alert; its draft (message, cell, county) is in the register.
            var overdue = (await session.LoadManyAsync<AlertRecord>(escalations.Select(x => x.AlertId).Distinct())).ToDictionary(r => r.Id);
            drafts.AddRange(escalations.Where(x => overdue.ContainsKey(x.AlertId))
                .Select(x => AlertRules.Escalation(overdue[x.AlertId].Alert, x.Meta.RecordedAt)));
        }
        if (checkInsWithoutCell.Count > 0)
        {
            // Check-ins recorded before they carried their cell: the person's cell on record.
            var persons = (await session.LoadManyAsync<PersonRecord>(checkInsWithoutCell.Select(c => c.PersonRef).Distinct())).ToDictionary(p => p.Id);
            foreach (var c in checkInsWithoutCell.Where(c => persons.TryGetValue(c.PersonRef, out var p) && p.CellId.Length > 0))
                drafts.AddRange(AlertRules.ForPersonEvent(c, persons[c.PersonRef].CellId, persons[c.PersonRef].County, o));
        }
        return drafts;
    }
}
