using Marten;
using Npgsql;
using E = EpiGrid.Grains.Storage.MartenTables.E;
using St = EpiGrid.Grains.Storage.MartenTables.S;
using EpiGrid.Platform;

namespace EpiGrid.Grains.Storage;

/// <summary>
/// The events of a group commit as three set-based statements (streams created, events, streams moved on), in place
/// of Marten's one <c>mt_quick_append_events</c> call per stream. That function costs ~200 µs of PostgreSQL time a
/// call (pg_stat_statements during the bulk import, ~3 calls a row): per-stream plpgsql, a statement per event.
/// The rows are Marten's own, column for column as its Quick append with server timestamps writes them (a test compares
/// the two), and Marten reads them back as usual; the hash-chain trigger chains them in the same transaction.
/// Concurrency is the store's: a stream created twice breaks <c>mt_streams</c>' key, an append behind another breaks
/// the unique (stream, version) of <c>mt_events</c>, an append to a missing stream its foreign key; each of these is a
/// <see cref="StreamConflictException"/> (<see cref="IsStreamConflict"/>, or Marten's own exception for the same key,
/// which its exception transforms raise for some of them: the group commit maps both). Every table, column and key
/// name comes from <see cref="MartenTables"/>, which the silo checks against the database at start.
/// </summary>
public sealed class EventRows
{
    const string Tenant = "*DEFAULT*";

    static readonly Dictionary<Type, (string Alias, string DotNet)> Names = StoredEvents.All.ToDictionary(
        n => n.Type, n => (n.Name, $"{n.Type.FullName}, {n.Type.Assembly.GetName().Name}"));

    readonly List<string> newStreams = [];
    readonly List<long> newVersions = [];
    readonly List<string> movedStreams = [];
    readonly List<long> movedVersions = [];
    readonly List<Guid> ids = [];
    readonly List<string> streams = [];
    readonly List<long> versions = [];
    readonly List<string> bodies = [];
    readonly List<string> types = [];
    readonly List<string> dotNetTypes = [];
    readonly Dictionary<StreamWrite, Guid> lastEventIds = new(ReferenceEqualityComparer.Instance);

    /// <summary>Each write's last event id: how a write whose commit outcome is unknown is found in the store.</summary>
    public IReadOnlyDictionary<StreamWrite, Guid> LastEventIds => lastEventIds;

    public EventRows(IEnumerable<StreamWrite> writes, ISerializer serializer)
    {
        foreach (var w in writes)
        {
            var final = w.ExpectedVersion + w.Events.Count;
            if (w.ExpectedVersion == 0) { newStreams.Add(w.StreamKey); newVersions.Add(final); }
            else { movedStreams.Add(w.StreamKey); movedVersions.Add(final); }
            var version = w.ExpectedVersion;
            foreach (var e in w.Events)
            {
                var (alias, dotNet) = Names.TryGetValue(e.GetType(), out var n) ? n
                    : throw new InvalidOperationException($"{e.GetType().Name} has no stored event name (StoredEvents.All)");
                ids.Add(Guid.CreateVersion7());
                streams.Add(w.StreamKey);
                versions.Add(++version);
                bodies.Add(serializer.ToJson(e));
                types.Add(alias);
                dotNetTypes.Add(dotNet);
            }
            if (w.Events.Count > 0) lastEventIds[w] = ids[^1];
        }
    }

    /// <summary>Queues the statements into the session, ahead of its documents: all of it commits as one.</summary>
    public void QueueInto(IDocumentSession session)
    {
        if (newStreams.Count > 0)
            session.QueueSqlCommand($"""
                insert into {MartenTables.Streams} ({St.Id}, {St.Type}, {St.Version}, {St.Timestamp}, {St.TenantId})
                select t.id, null, t.v, now(), '{Tenant}' from unnest(?::varchar[], ?::bigint[]) as t(id, v)
                """, newStreams.ToArray(), newVersions.ToArray());
        if (ids.Count > 0)
            // ORDER BY before nextval (PostgreSQL evaluates volatile output expressions after the sort): sequence numbers
            // follow the write order, and the chain trigger sees a stream's versions in order.
            session.QueueSqlCommand($"""
                insert into {MartenTables.Events} ({E.SeqId}, {E.Id}, {E.StreamId}, {E.Version}, {E.Data}, {E.BData}, {E.Type}, {E.TenantId}, {E.Timestamp}, {E.DotNetType}, {E.IsArchived})
                select nextval('{MartenTables.EventSequence}'), t.id, t.stream, t.version, t.body::jsonb, null, t.type, '{Tenant}', now(), t.dotnet, false
                from unnest(?::uuid[], ?::varchar[], ?::bigint[], ?::text[], ?::varchar[], ?::varchar[])
                     with ordinality as t(id, stream, version, body, type, dotnet, ord)
                order by t.ord
                """, ids.ToArray(), streams.ToArray(), versions.ToArray(), bodies.ToArray(), types.ToArray(), dotNetTypes.ToArray());
        if (movedStreams.Count > 0)
            session.QueueSqlCommand($"""
                update {MartenTables.Streams} s set {St.Version} = greatest(s.{St.Version}, t.v), {St.Timestamp} = now()
                from (select id, max(v) as v from unnest(?::varchar[], ?::bigint[]) as u(id, v) group by id) as t
                where s.{St.Id} = t.id
                """, movedStreams.ToArray(), movedVersions.ToArray());
    }

    /// <summary>Whether a failed commit broke one of the keys that guard streams (see the class remarks).</summary>
    public static bool IsStreamConflict(Exception e)
    {
        for (var x = e; x is not null; x = x.InnerException)
            if (x is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation or PostgresErrorCodes.ForeignKeyViolation } p
                && p.ConstraintName is MartenTables.StreamsPrimaryIndex or MartenTables.StreamVersionIndex or MartenTables.EventStreamConstraint)
                return true;
        return false;
    }
}
