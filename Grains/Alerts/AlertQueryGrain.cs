using System.Text;
using System.Text.Json;
using EpiGrid.Alerts;
using Marten;
using Orleans.Concurrency;
using EpiGrid.Platform;

namespace EpiGrid.Grains.Alerts;

/// <summary>Alert reads straight from the register, so catch-up after a reconnect storm does not queue at the ledger.</summary>
[StatelessWorker]
public sealed class AlertQueryGrain(IDocumentStore store) : Grain, IAlertQueryGrain
{
    public async Task<IReadOnlyList<AlertView>> Find(AlertQuery q)
    {
        if (q.Groups is { Count: 0 }) return [];
        var (where, args) = Where(q);
        await using var session = store.QuerySession();
        var records = await session.QueryAsync<AlertRecord>(where, args);
        return records.Select(r => r.ToView()).ToList();
    }

    /// <summary>The query's where clause (Marten's "?" placeholders, in order), its order and limit: what <see cref="Find"/> sends.</summary>
    public static (string Sql, object[] Args) Where(AlertQuery q)
    {
        var where = new StringBuilder("where seq > ?");
        var args = new List<object> { q.AfterSeq };
        void And(string clause, object? value)
        {
            if (value is null) return;
            where.Append(" and ").Append(clause);
            args.Add(value);
        }
        And("seq <= ?", q.UpToSeq);
        if (q.Groups is { } groups) AnyOf(where, args, groups);
        And("data ->> 'status' = ?", q.Status);
        And("data ->> 'cellId' = ?", q.CellId);
        And("data ->> 'county' = ?", q.County);
        // Callers write their own offset (+08:00); Npgsql takes a timestamptz parameter in UTC only.
        And("(data ->> 'raisedAt')::timestamptz >= ?", q.Since?.ToUniversalTime());
        where.Append(" order by seq limit ").Append(Math.Clamp(q.Limit, 1, 5000));
        return (where.ToString(), args.ToArray());
    }

    /// <summary>
    /// "Raised for one of these groups", written as containment (<c>data -> 'audience' @> '["cell:…"]'</c>) once a group
    /// so that each is a probe of the audience's GIN index (<see cref="Storage.MartenSetup"/>); the ordered walk along
    /// <c>seq</c> it replaces read every alert after the cursor to find a worker's few.
    /// </summary>
    static void AnyOf(StringBuilder where, List<object> args, IReadOnlyList<string> groups)
    {
        if (groups.Count == 0)
        {
            where.Append(" and false");
            return;
        }
        where.Append(" and (");
        for (var i = 0; i < groups.Count; i++)
        {
            where.Append(i == 0 ? "" : " or ").Append("data -> 'audience' @> ?::jsonb");
            args.Add(JsonSerializer.Serialize(new[] { groups[i] }));
        }
        where.Append(')');
    }

    /// <summary>
    /// Alert ids are made by the rules (kind:cell:case and the like): anything else names no alert. A NUL or a lone
    /// surrogate would not even reach PostgreSQL as text (its error is not a "no such alert").
    /// </summary>
    static bool Plausible(string? alertId) =>
        alertId is { Length: > 0 and <= 300 } && !alertId.Any(c => char.IsControl(c) || char.IsSurrogate(c));

    public async Task<AlertView?> Get(string alertId)
    {
        if (!Plausible(alertId)) return null;
        await using var session = store.QuerySession();
        return (await session.LoadAsync<AlertRecord>(alertId))?.ToView();
    }

    public async Task<IReadOnlyList<AlertHistoryEntry>> History(string alertId)
    {
        if (!Plausible(alertId)) return [];
        await using var session = store.QuerySession();
        var events = await session.Events.FetchStreamAsync(StreamKeys.Alert(alertId));
        return events.Select(e => e.Data switch
        {
            AlertRaised r => Entry(e.Version, "raised", r.Meta, r.Alert.Message),
            AlertAcknowledged a => Entry(e.Version, "acknowledged", a.Meta, a.Note),
            AlertEscalated x => Entry(e.Version, "escalated", x.Meta, x.EscalationId),
            _ => null,
        }).OfType<AlertHistoryEntry>().ToList();
    }

    static AlertHistoryEntry Entry(long version, string name, EventMeta meta, string? detail) =>
        new(version, name, meta.Actor, meta.Source, meta.RecordedAt, detail);
}
