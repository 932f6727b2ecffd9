using EpiGrid.Alerts;
using EpiGrid.Platform;

namespace EpiGrid.Grains.Push;

/// <summary>
/// Links each alert, for every group of its audience, to the alert pushed to that group before it (<see cref="AlertLink"/>).
/// A client sees only its groups' alerts, so the global sequence has holes it cannot judge; a group's own chain has none,
/// and a link to an alert the client never saw is a gap it can fill with catchUp.
/// Our choice, not a published rule: links live in the push hub's memory only. After the hub starts again it knows no
/// group's last alert, gives the first alert of each group no link, and clients catch up then (at most once a group).
/// Memory: one number per group that ever had an alert (cells, counties, the province).
/// </summary>
public sealed class AlertChain
{
    readonly Dictionary<string, long> last = new(StringComparer.Ordinal);
    /// <summary>Groups that had an alert arrive out of order: their next alert gets no link, so clients catch up.</summary>
    readonly HashSet<string> unsure = new(StringComparer.Ordinal);

    /// <summary>Links for alerts in the order the ledger published them (sorted by sequence within a batch).</summary>
    public List<AlertLink> Link(IEnumerable<AlertView> alerts)
    {
        var links = new List<AlertLink>();
        foreach (var alert in alerts.OrderBy(a => a.Seq))
            foreach (var group in alert.Alert.Audience.Distinct(StringComparer.Ordinal))
            {
                if (!last.TryGetValue(group, out var prev)) { last[group] = alert.Seq; continue; }
                if (alert.Seq == prev) continue; // the same alert published again: its first push carried the link
                if (alert.Seq < prev)
                {
                    // Arrived after a later one: whoever missed it would not learn it from the later one's link.
                    unsure.Add(group);
                    continue;
                }
                if (!unsure.Remove(group)) links.Add(new AlertLink(alert.Seq, group, prev));
                last[group] = alert.Seq;
            }
        return links;
    }
}
