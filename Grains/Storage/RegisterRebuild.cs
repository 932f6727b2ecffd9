using EpiGrid.Geography;
using Marten;
using Marten.Services;
using Npgsql;
using E = EpiGrid.Grains.Storage.MartenTables.E;
using St = EpiGrid.Grains.Storage.MartenTables.S;
using EpiGrid.Platform;

namespace EpiGrid.Grains.Storage;

/// <summary>
/// Rebuilds the registers from the events: every stream of a register's kind is read in order, a page of streams at a
/// time (never the whole history in memory), folded as the live path folds it (<see cref="RegisterSource"/>), and the
/// rows the live path would have written replace the ones held: changed rows are upserted, missing ones inserted, rows
/// that no event backs deleted. Upsert-and-delete-stale rather than delete-all-then-insert, because it runs on a live
/// platform: each page is its own short transaction that locks only its streams' <c>mt_streams</c> rows (FOR UPDATE),
/// so a group commit to one of those streams waits for the page (tens of milliseconds) and can never be overwritten by
/// an older fold, while every other stream, and every read of the registers, goes on; a register is never empty.
/// </summary>
public sealed class RegisterRebuild(IDocumentStore store, Province province, ILogger<RegisterRebuild> log)
{
    /// <summary>Streams a page: ~1,000 events for a typical person or cell, one transaction.</summary>
    public const int PageSize = 500;

    public async Task<RegisterRebuildReport> Run(CancellationToken cancellationToken = default)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var summaries = new List<RegisterRebuildSummary>();
        foreach (var source in RegisterSource.All(province))
        {
            var before = await Counts(source, cancellationToken);
            var differed = source.Registers.ToDictionary(r => r.Name, _ => 0);
            var seen = new HashSet<string>(StringComparer.Ordinal);
            var prefix = StreamPrefix(source.Kind);
            var after = prefix;
            while (await NextStreams(prefix, after, cancellationToken) is { Count: > 0 } page)
            {
                await Retrying(() => RebuildPage(source, page, differed, cancellationToken), cancellationToken);
                foreach (var key in page) seen.Add(key[prefix.Length..]);
                after = page[^1];
            }
            await Retrying(() => DeleteUnbacked(source, prefix, seen, differed, cancellationToken), cancellationToken);
            var afterCounts = await Counts(source, cancellationToken);
            summaries.AddRange(source.Registers.Select(r => new RegisterRebuildSummary(r.Name, before[r.Name], afterCounts[r.Name], differed[r.Name])));
        }
        var report = new RegisterRebuildReport(summaries, System.Diagnostics.Stopwatch.GetElapsedTime(started));
        foreach (var s in summaries)
            log.LogInformation("Register {Register} rebuilt: {Before} rows before, {After} after, {Differed} differed", s.Register, s.RowsBefore, s.RowsAfter, s.RowsDiffered);
        return report;
    }

    static string StreamPrefix(StreamKind kind) => kind switch
    {
        StreamKind.Cell => StreamKeys.Cell(""),
        StreamKind.Person => StreamKeys.Person(""),
        StreamKind.Alert => StreamKeys.Alert(""),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "no register follows this kind of stream"),
    };

    async Task<List<string>> NextStreams(string prefix, string after, CancellationToken cancellationToken)
    {
        // The key range [prefix, prefix with its last character moved on) walks mt_streams' primary key in order.
        var upper = prefix[..^1] + (char)(prefix[^1] + 1);
        await using var connection = store.Storage.Database.CreateConnection();
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(
            $"select {St.Id} from {MartenTables.Streams} where {St.Id} > @after and {St.Id} < @upper order by {St.Id} limit {PageSize}", connection);
        command.Parameters.AddWithValue("after", after);
        command.Parameters.AddWithValue("upper", upper);
        var keys = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) keys.Add(reader.GetString(0));
        return keys;
    }

    async Task RebuildPage(RegisterSource source, List<string> keys, Dictionary<string, int> differed, CancellationToken cancellationToken)
    {
        await using var connection = store.Storage.Database.CreateConnection();
        await connection.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // Locks the page's streams: no commit to them lands between reading their events and writing their rows.
        await using (var lockStreams = new NpgsqlCommand(
            $"select {St.Id} from {MartenTables.Streams} where {St.Id} = any(@keys) order by {St.Id} for update", connection, transaction))
        {
            lockStreams.Parameters.AddWithValue("keys", keys.ToArray());
            await lockStreams.ExecuteNonQueryAsync(cancellationToken);
        }
        var events = await EventsOf(connection, transaction, keys, cancellationToken);
        var prefix = StreamPrefix(source.Kind);
        var ids = keys.Select(k => k[prefix.Length..]).ToList();
        var rebuilt = ids.SelectMany(id => source.Fold(id, events.TryGetValue(prefix + id, out var e) ? e : [])).ToList();
        await using (var session = store.LightweightSession(SessionOptions.ForTransaction(transaction, false)))
        {
            foreach (var register in source.Registers)
                differed[register.Name] += await register.Replace(session, ids, rebuilt, cancellationToken);
            await session.SaveChangesAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
    }

    async Task<Dictionary<string, List<(object, long)>>> EventsOf(NpgsqlConnection connection, NpgsqlTransaction transaction, List<string> keys, CancellationToken cancellationToken)
    {
        var serializer = store.Options.Serializer();
        var byStream = new Dictionary<string, List<(object, long)>>(StringComparer.Ordinal);
        await using var command = new NpgsqlCommand(
            $"select {E.StreamId}, {E.Version}, {E.Type}, {E.Data} from {MartenTables.Events} where {E.StreamId} = any(@keys) and not {E.IsArchived} order by {E.StreamId}, {E.Version}",
            connection, transaction);
        command.Parameters.AddWithValue("keys", keys.ToArray());
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var stream = reader.GetString(0);
            // An event type no longer known (a foreign or retired event) folds as nothing, as it does when a grain reads it.
            if (!StoredEventTypes.TryGetValue(reader.GetString(2), out var type)) continue;
            if (!byStream.TryGetValue(stream, out var list)) byStream[stream] = list = [];
            list.Add((serializer.FromJson(type, reader, 3), reader.GetInt64(1)));
        }
        return byStream;
    }

    static readonly Dictionary<string, Type> StoredEventTypes = StoredEvents.All.ToDictionary(e => e.Name, e => e.Type, StringComparer.Ordinal);

    /// <summary>Rows whose stream the walk never met and which still has none: rows nothing backs (written by hand).</summary>
    async Task DeleteUnbacked(RegisterSource source, string prefix, HashSet<string> seen, Dictionary<string, int> differed, CancellationToken cancellationToken)
    {
        await using var session = store.LightweightSession();
        foreach (var register in source.Registers)
        {
            var unseen = (await register.Sources(session, cancellationToken)).Where(id => !seen.Contains(id)).ToList();
            if (unseen.Count == 0) continue;
            // A stream created since the walk passed its place backs its rows: those stay.
            var existing = new HashSet<string>(StringComparer.Ordinal);
            await using (var connection = store.Storage.Database.CreateConnection())
            {
                await connection.OpenAsync(cancellationToken);
                await using var command = new NpgsqlCommand($"select {St.Id} from {MartenTables.Streams} where {St.Id} = any(@keys)", connection);
                command.Parameters.AddWithValue("keys", unseen.Select(id => prefix + id).ToArray());
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken)) existing.Add(reader.GetString(0)[prefix.Length..]);
            }
            var unbacked = unseen.Where(id => !existing.Contains(id)).ToList();
            if (unbacked.Count == 0) continue;
            var rows = await Count(register, session, cancellationToken);
            register.DeleteFrom(session, unbacked);
            await session.SaveChangesAsync(cancellationToken);
            differed[register.Name] += rows - await Count(register, session, cancellationToken);
        }
    }

    static Task<int> Count(IRegister register, IQuerySession session, CancellationToken cancellationToken) => register.Count(session, cancellationToken);

    async Task<Dictionary<string, int>> Counts(RegisterSource source, CancellationToken cancellationToken)
    {
        await using var session = store.QuerySession();
        var counts = new Dictionary<string, int>();
        foreach (var register in source.Registers) counts[register.Name] = await register.Count(session, cancellationToken);
        return counts;
    }

    /// <summary>A page that deadlocked with a group commit (both lock streams) or lost a serialization race runs again.</summary>
    static async Task Retrying(Func<Task> page, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await page();
                return;
            }
            catch (Exception e) when (attempt < 5 && IsTransient(e))
            {
                await Task.Delay(50 * attempt, cancellationToken);
            }
        }
    }

    static bool IsTransient(Exception e)
    {
        for (var x = e; x is not null; x = x.InnerException)
            if (x is PostgresException { SqlState: var state } && state.StartsWith("40", StringComparison.Ordinal)) return true;
        return false;
    }
}
