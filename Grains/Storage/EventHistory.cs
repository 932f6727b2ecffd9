using System.Data.Common;
using System.Runtime.CompilerServices;
using EpiGrid.Audit;
using JasperFx;
using Marten;
using Npgsql;
using EpiGrid.Platform;

namespace EpiGrid.Grains.Storage;

/// <summary>One event as stored: its place in the history, its stored name, and the event itself (null if unknown here).</summary>
public sealed record StoredEvent(long Seq, string Stream, long Version, string Kind, IEpiEvent? Data, DateTimeOffset StoredAt);

/// <summary>
/// The history as the silo's readers see it (replay, what-if, explanations, event pages, exports, chain verification):
/// read-only, streamed, never held whole in memory. <see cref="PostgresEventHistory"/> reads Marten's events table.
/// </summary>
public interface IEventHistory
{
    /// <summary>One stream's events in version order.</summary>
    IAsyncEnumerable<StoredEvent> Stream(string stream, CancellationToken cancellationToken);

    /// <summary>
    /// The events that move a county's figures (<see cref="StoredEvents.CountyInputs"/>) of one county's cells, or of every
    /// cell with <paramref name="county"/> null, in sequence order: the cost follows the outbreak, not the size of the grid.
    /// </summary>
    IAsyncEnumerable<StoredEvent> CountyInputs(string? county, CancellationToken cancellationToken);

    /// <summary>
    /// One view of the store for several reads (a read-only, repeatable-read transaction). With a <paramref name="statementTimeout"/>,
    /// PostgreSQL stops any statement of it, and the transaction left idle, after that long (a heavy read's bound).
    /// </summary>
    Task<HistorySnapshot> Snapshot(TimeSpan? statementTimeout, CancellationToken cancellationToken);
}

/// <summary>
/// The event store, read-only, through a connection pool of its own (heavy reads do not take the group commit's
/// connections): the silo's Marten serializer, raw Npgsql reads.
/// </summary>
public sealed class PostgresEventHistory : IEventHistory, IAsyncDisposable
{
    readonly Dictionary<string, Type> types = StoredEvents.All.ToDictionary(e => e.Name, e => e.Type, StringComparer.Ordinal);
    readonly ISerializer serializer;
    readonly NpgsqlDataSource source;

    public PostgresEventHistory(string connectionString, IDocumentStore store)
    {
        source = EventStoreDataSource.Create(connectionString);
        serializer = store.Options.Serializer();
    }

    public const string EventsTable = MartenSetup.Schema + ".mt_events";
    const string Columns = "seq_id, stream_id, version, type, data, timestamp";

    public IAsyncEnumerable<StoredEvent> Stream(string stream, CancellationToken cancellationToken) =>
        Read("stream_id = @stream", [new NpgsqlParameter("stream", stream)], "version", cancellationToken);

    public IAsyncEnumerable<StoredEvent> CountyInputs(string? county, CancellationToken cancellationToken) =>
        Read("type = any(@kinds) and stream_id like @streams",
        [
            new NpgsqlParameter("kinds", StoredEvents.CountyInputs.ToArray()),
            new NpgsqlParameter("streams", StreamKeys.Cell(county is null ? "%" : county + "-%")),
        ], "seq_id", cancellationToken);

    async IAsyncEnumerable<StoredEvent> Read(
        string where, IReadOnlyList<NpgsqlParameter> parameters, string orderBy, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var command = source.CreateCommand($"select {Columns} from {EventsTable} where {where} order by {orderBy}");
        command.Parameters.AddRange(parameters.ToArray());
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            yield return new StoredEvent(reader.GetInt64(0), reader.GetString(1), reader.GetInt64(2), reader.GetString(3),
                Deserialize(reader.GetString(3), reader, 4), reader.GetFieldValue<DateTimeOffset>(5));
    }

    public async Task<HistorySnapshot> Snapshot(TimeSpan? statementTimeout, CancellationToken cancellationToken)
    {
        var connection = await source.OpenConnectionAsync(cancellationToken);
        try
        {
            var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken);
            var bound = statementTimeout is { } t ? Math.Max(1, (long)t.TotalMilliseconds) : 0;
            var settings = bound > 0
                ? $"set transaction read only; set local statement_timeout = {bound}; set local idle_in_transaction_session_timeout = {bound}"
                : "set transaction read only";
            await using (var readOnly = new NpgsqlCommand(settings, connection, transaction))
                await readOnly.ExecuteNonQueryAsync(cancellationToken);
            return new HistorySnapshot(connection, transaction);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    IEpiEvent? Deserialize(string kind, DbDataReader reader, int column) =>
        types.TryGetValue(kind, out var type) ? serializer.FromJson(type, reader, column) as IEpiEvent : null;

    public ValueTask DisposeAsync() => source.DisposeAsync();

    /// <summary>PostgreSQL stopped the statement at its statement_timeout (SQLSTATE 57014): the read's bound, not a fault.</summary>
    public static bool IsStatementTimeout(Exception e)
    {
        for (var inner = e; inner is not null; inner = inner.InnerException)
            if (inner is PostgresException { SqlState: PostgresErrorCodes.QueryCanceled }) return true;
        return false;
    }
}

/// <summary>A read-only, repeatable-read transaction over the store (<see cref="IEventHistory.Snapshot"/>).</summary>
public sealed class HistorySnapshot(NpgsqlConnection connection, NpgsqlTransaction transaction) : IAsyncDisposable
{
    /// <summary>A command in this snapshot, for the chain's own tables.</summary>
    public NpgsqlCommand Command(string sql) => new(sql, connection, transaction);

    public async Task<long> Count(EventFilter filter, CancellationToken cancellationToken)
    {
        var (where, parameters) = EventFilterSql.Of(filter);
        await using var command = Command($"select count(*) from {PostgresEventHistory.EventsTable} where {where}");
        command.Parameters.AddRange(parameters);
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>Rows as stored, the event's JSON left as text, in sequence order: for timelines and exports that pass it on.</summary>
    public async IAsyncEnumerable<StoredRow> Rows(EventFilter filter, long offset, int? limit,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var (where, parameters) = EventFilterSql.Of(filter);
        var page = (limit is { } l ? $" limit {l}" : "") + (offset > 0 ? $" offset {offset}" : "");
        await using var command = Command(
            $"select seq_id, stream_id, version, type, data::text, timestamp from {PostgresEventHistory.EventsTable} where {where} order by seq_id{page}");
        command.Parameters.AddRange(parameters);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            yield return new StoredRow(reader.GetInt64(0), reader.GetString(1), reader.GetInt64(2), reader.GetString(3),
                reader.GetString(4), reader.GetFieldValue<DateTimeOffset>(5));
    }

    public async ValueTask DisposeAsync()
    {
        await transaction.DisposeAsync();
        await connection.DisposeAsync();
    }
}

/// <summary>An <see cref="EventFilter"/> as SQL over mt_events, with its parameters.</summary>
static class EventFilterSql
{
    public static (string Where, NpgsqlParameter[] Parameters) Of(EventFilter filter)
    {
        var clauses = new List<string> { "true" };
        var parameters = new List<NpgsqlParameter>();
        void Add(string clause, string name, object value)
        {
            clauses.Add(clause);
            parameters.Add(new NpgsqlParameter(name, value));
        }
        if (filter.Stream is { } stream) Add("stream_id = @stream", "stream", stream);
        if (filter.County is { } county)
        {
            Add("(stream_id = @countyStream or stream_id like @cellStreams)", "countyStream", StreamKeys.County(county));
            parameters.Add(new NpgsqlParameter("cellStreams", StreamKeys.Cell(county + "-%")));
        }
        if (filter.Person is { } person) Add("(data->>'caseId' = @person or data->>'travellerId' = @person)", "person", person);
        if (filter.Kinds is { } kinds) Add("type = any(@kinds)", "kinds", kinds.ToArray());
        var field = filter.Axis == TimeAxis.Recorded ? "recordedAt" : "occurredAt";
        // PostgreSQL's timestamptz parameters take UTC only; people write their own offset (+08:00).
        if (filter.From is { } from) Add($"(data->'meta'->>'{field}')::timestamptz >= @from", "from", from.ToUniversalTime());
        if (filter.To is { } to) Add($"(data->'meta'->>'{field}')::timestamptz < @to", "to", to.ToUniversalTime());
        return (string.Join(" and ", clauses), parameters.ToArray());
    }
}
