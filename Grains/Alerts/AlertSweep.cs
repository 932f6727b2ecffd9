using EpiGrid.Alerts;
using JasperFx.Events;
using Marten;
using Microsoft.Extensions.Options;

namespace EpiGrid.Grains.Alerts;

/// <summary>
/// Reads the event log from where it last stopped and finds alert-worthy events whose alert was never raised
/// (the one-way call from a cell was lost with a silo). It reads only up to the highest sequence it saw at the
/// previous sweep, so an event whose transaction was still in flight then is not skipped.
/// </summary>
public sealed class AlertSweep(IDocumentStore store, RuleBook rules, IOptions<AlertOptions> options)
{
    const int PageSize = 5000;

    public async Task<IReadOnlyList<AlertDraft>> FindMissedAlerts()
    {
        await using var session = store.LightweightSession();
        var checkpoint = await session.LoadAsync<AlertSweepCheckpoint>("alerts") ?? new AlertSweepCheckpoint();
        var drafts = new List<AlertDraft>();
        for (var after = checkpoint.Sequence; after < checkpoint.HighWater;)
        {
            var upTo = checkpoint.HighWater;
            var page = await session.Events.QueryAllRawEvents()
                .Where(e => e.Sequence > after && e.Sequence <= upTo).OrderBy(e => e.Sequence).Take(PageSize).ToListAsync();
            if (page.Count == 0) break;
            drafts.AddRange(page.SelectMany(Derive));
            after = page[^1].Sequence;
        }
        var newest = await session.Events.QueryAllRawEvents().OrderByDescending(e => e.Sequence).Take(1).ToListAsync();

        var known = drafts.Count == 0
            ? []
            : (await session.LoadManyAsync<AlertRecord>(drafts.Select(d => d.Id).Distinct())).Select(r => r.Id).ToHashSet();
        checkpoint.Sequence = Math.Max(checkpoint.Sequence, checkpoint.HighWater);
        checkpoint.HighWater = newest.Count == 0 ? 0 : newest[0].Sequence;
        session.Store(checkpoint);
        await session.SaveChangesAsync();
        return drafts.Where(d => !known.Contains(d.Id)).DistinctBy(d => d.Id).ToList();
    }

    IEnumerable<AlertDraft> Derive(IEvent e) => e.Data switch
    {
        CountyColourChanged c => AlertRules.ForColourChange(c, e.Version, rules.Default.Name) is { } d ? [d] : [],
        IEpiEvent x => AlertRules.ForCellEvent(x, options.Value),
        _ => [],
    };
}
