using System.Data.Common;
using System.Runtime.CompilerServices;
using EpiGrid.Events;
using EpiGrid.Grains.Storage;
using JasperFx;
using Marten;
using Npgsql;

namespace EpiGrid.WebHost.Audit;

/// <summary>One event as stored: its place in the history, its stored name, and the event itself (null if unknown here).</summary>
public sealed record StoredEvent(long Seq, string Stream, long Version, string Kind, IEpiEvent? Data, DateTimeOffset StoredAt);

/// <summary>One event as stored, its JSON as text.</summary>
public sealed record StoredRow(long Seq, string Stream, long Version, string Kind, string Data, DateTimeOffset StoredAt);

/// <summary>
/// The event store, read-only, for audit queries: the silo's Marten options (same names and serializer) but no
/// schema changes, and raw Npgsql reads so a whole province streams through without being held in memory.
/// It writes nothing: the records of who asked what go through the silo's event log (<see cref="QueryRecords"/>).
/// </summary>
public sealed class AuditStore : IAsyncDisposable
{
    readonly Dictionary<string, Type> types = StoredEvents.All.ToDictionary(e => e.Name, e => e.Type, StringComparer.Ordinal);
    readonly ISerializer serializer;

    public AuditStore(string connectionString)
    {
        Source = NpgsqlDataSource.Create(connectionString);
        Store = DocumentStore.For(options =>
        {
            MartenSetup.Configure(options, connectionString);
            options.Connection(Source); // one connection pool for Marten and the raw reads
            options.AutoCreateSchemaObjects = AutoCreate.None;
        });
        serializer = Store.Options.Serializer();
    }

    public DocumentStore Store { get; }
    public NpgsqlDataSource Source { get; }

    public const string EventsTable = MartenSetup.Schema + ".mt_events";
    const string Columns = "seq_id, stream_id, version, type, data, timestamp";

    /// <summary>Events matching <paramref name="where"/> (SQL over mt_events), in <paramref name="orderBy"/> order, read as they stream.</summary>
    public async IAsyncEnumerable<StoredEvent> Read(
        string where, IReadOnlyList<NpgsqlParameter> parameters, string orderBy = "seq_id",
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using var command = Source.CreateCommand($"select {Columns} from {EventsTable} where {where} order by {orderBy}");
        foreach (var p in parameters) command.Parameters.Add(p.Clone());
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            yield return new StoredEvent(reader.GetInt64(0), reader.GetString(1), reader.GetInt64(2), reader.GetString(3),
                Deserialize(reader.GetString(3), reader, 4), reader.GetFieldValue<DateTimeOffset>(5));
    }

    /// <summary>Rows as stored, the event's JSON left as text: for timelines and exports that pass it on.</summary>
    public async IAsyncEnumerable<StoredRow> ReadRows(
        string where, IReadOnlyList<NpgsqlParameter> parameters, string tail = "order by seq_id",
        [EnumeratorCancellation] CancellationToken cancellationToken = default, Snapshot? snapshot = null)
    {
        await using var command = Command($"select seq_id, stream_id, version, type, data::text, timestamp from {EventsTable} where {where} {tail}", snapshot);
        foreach (var p in parameters) command.Parameters.Add(p.Clone());
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            yield return new StoredRow(reader.GetInt64(0), reader.GetString(1), reader.GetInt64(2), reader.GetString(3),
                reader.GetString(4), reader.GetFieldValue<DateTimeOffset>(5));
    }

    public async Task<long> Count(string where, IReadOnlyList<NpgsqlParameter> parameters, CancellationToken cancellationToken, Snapshot? snapshot = null)
    {
        await using var command = Command($"select count(*) from {EventsTable} where {where}", snapshot);
        foreach (var p in parameters) command.Parameters.Add(p.Clone());
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    NpgsqlCommand Command(string sql, Snapshot? snapshot) =>
        snapshot is null ? Source.CreateCommand(sql) : new NpgsqlCommand(sql, snapshot.Connection, snapshot.Transaction);

    /// <summary>
    /// One view of the store for several reads (a read-only, repeatable-read transaction): an export's count and the
    /// rows it then streams agree, however many events are committed meanwhile. With a <paramref name="statementTimeout"/>,
    /// PostgreSQL stops any statement of it, and the transaction left idle, after that long (a heavy read's bound).
    /// </summary>
    public async Task<Snapshot> OpenSnapshot(CancellationToken cancellationToken, TimeSpan? statementTimeout = null)
    {
        var connection = await Source.OpenConnectionAsync(cancellationToken);
        try
        {
            var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken);
            var bound = statementTimeout is { } t ? Math.Max(1, (long)t.TotalMilliseconds) : 0;
            var settings = bound > 0
                ? $"set transaction read only; set local statement_timeout = {bound}; set local idle_in_transaction_session_timeout = {bound}"
                : "set transaction read only";
            await using (var readOnly = new NpgsqlCommand(settings, connection, transaction))
                await readOnly.ExecuteNonQueryAsync(cancellationToken);
            return new Snapshot(connection, transaction);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    public sealed class Snapshot(NpgsqlConnection connection, NpgsqlTransaction transaction) : IAsyncDisposable
    {
        public NpgsqlConnection Connection { get; } = connection;
        public NpgsqlTransaction Transaction { get; } = transaction;

        public async ValueTask DisposeAsync()
        {
            await Transaction.DisposeAsync();
            await Connection.DisposeAsync();
        }
    }

    IEpiEvent? Deserialize(string kind, DbDataReader reader, int column) =>
        types.TryGetValue(kind, out var type) ? serializer.FromJson(type, reader, column) as IEpiEvent : null;

    public async ValueTask DisposeAsync()
    {
        await Store.DisposeAsync();
        await Source.DisposeAsync();
    }
}
