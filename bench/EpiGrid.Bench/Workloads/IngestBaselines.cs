using System.Text.Json;
using EpiGrid.Grains.Audit;
using EpiGrid.Grains.Storage;
using Marten;
using Npgsql;
using NpgsqlTypes;
using EpiGrid.Cells;
using EpiGrid.Platform;

namespace EpiGrid.Bench.Workloads;

/// <summary>What PostgreSQL and Marten do with the same rows, without Orleans or HTTP: the bounds of ingest.</summary>
public static class IngestBaselines
{
    public const string BaselineDatabase = "baseline";

    /// <summary>Binary COPY into a table shaped like Marten's events table (primary key, index on the stream).</summary>
    public static async Task<double> RawCopy(BenchContext ctx, IngestData data, int rows)
    {
        await EnsureDatabase(ctx);
        await using var connection = new NpgsqlConnection(ctx.Database(BaselineDatabase));
        await connection.OpenAsync();
        await using (var create = new NpgsqlCommand("""
            drop table if exists copy_events;
            create table copy_events (seq bigserial primary key, stream_id text not null, type text not null, data jsonb not null,
                                      "timestamp" timestamptz not null default now());
            create index on copy_events (stream_id);
            """, connection)) await create.ExecuteNonQueryAsync();
        var events = data.Events("copy", rows).Select(e => (e.Stream, Type: e.Event.GetType().Name,
            Json: JsonSerializer.Serialize(e.Event, e.Event.GetType(), JsonSerializerOptions.Web))).ToList();

        var clock = Stopwatch.StartNew();
        await using (var copy = await connection.BeginBinaryImportAsync("copy copy_events (stream_id, type, data) from stdin (format binary)"))
        {
            foreach (var (stream, type, json) in events)
            {
                await copy.StartRowAsync();
                await copy.WriteAsync(stream, NpgsqlDbType.Text);
                await copy.WriteAsync(type, NpgsqlDbType.Text);
                await copy.WriteAsync(json, NpgsqlDbType.Jsonb);
            }
            await copy.CompleteAsync();
        }
        return events.Count / clock.Elapsed.TotalSeconds;
    }

    /// <summary>
    /// The baselines' own database (or <paramref name="database"/>), created on first use; with <paramref name="fresh"/>,
    /// dropped first, so that a run's baseline starts on an empty store as the platform's run does.
    /// </summary>
    public static async Task EnsureDatabase(BenchContext ctx, string database = BaselineDatabase, bool fresh = false)
    {
        await using var admin = new NpgsqlConnection(ctx.Database("postgres"));
        await admin.OpenAsync();
        if (fresh)
            await using (var drop = new NpgsqlCommand($"drop database if exists {database} with (force)", admin)) await drop.ExecuteNonQueryAsync();
        await using var exists = new NpgsqlCommand($"select 1 from pg_database where datname = '{database}'", admin);
        if (await exists.ExecuteScalarAsync() is null)
            await new NpgsqlCommand($"create database {database}", admin).ExecuteNonQueryAsync();
    }

    /// <summary>
    /// Marten on the baselines' database (or <paramref name="database"/>, <paramref name="fresh"/> as in
    /// <see cref="EnsureDatabase"/>), its cells seeded; with <paramref name="chained"/>, the audit chain's trigger
    /// (<see cref="EventChain"/>) chains every event appended, as on the platform's store.
    /// </summary>
    public static async Task<DocumentStore> Marten(BenchContext ctx, string database = BaselineDatabase, bool fresh = false, bool chained = false)
    {
        await EnsureDatabase(ctx, database, fresh);
        var store = DocumentStore.For(o => MartenSetup.Configure(o, ctx.Database(database)));
        await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
        if (chained)
        {
            await using var connection = new NpgsqlConnection(ctx.Database(database));
            await EventChain.Install(connection);
        }
        await SeedCells(ctx, store);
        return store;
    }

    /// <summary>Every cell's stream exists before the baselines append, as in the platform (seeded cells).</summary>
    static async Task SeedCells(BenchContext ctx, IDocumentStore store)
    {
        await using (var query = store.QuerySession())
            if (await query.Events.FetchStreamStateAsync(StreamKeys.Cell(ctx.CellIds[^1])) is not null) return;
        var meta = new EventMeta("bench", "reference-data", DateTimeOffset.UtcNow, DateTimeOffset.UtcNow);
        foreach (var chunk in ctx.CellIds.Chunk(5000))
        {
            await using var session = store.LightweightSession();
            foreach (var cellId in chunk)
                session.Events.StartStream(StreamKeys.Cell(cellId), new CellRegistered(cellId, cellId[..6], cellId, 300, meta));
            await session.SaveChangesAsync();
        }
    }

    /// <summary>Marten's append, <paramref name="perSave"/> events a SaveChanges, as many saves in flight as the group commit has writers.</summary>
    public static async Task<(double Rate, Latency Saves)> MartenBatched(IDocumentStore store, IngestData data, int events, int perSave, int writers)
    {
        var lanes = ByStream(data.Events("mb", events), writers).Select(lane => lane.Chunk(perSave).ToList()).ToList();
        await Save(store, lanes[0][0].Take(10)); // warm-up: compiled paths, connections
        var latency = new Latency();
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(lanes.Select(async chunks =>
        {
            foreach (var chunk in chunks)
            {
                var started = Latency.Start();
                await Save(store, chunk);
                latency.Record(started);
            }
        }));
        return (lanes.Sum(l => l.Sum(c => c.Length)) / clock.Elapsed.TotalSeconds, latency);
    }

    /// <summary>Marten's append, one event a SaveChanges, from several concurrent sessions, for a bounded time.</summary>
    public static async Task<(double Rate, Latency Saves)> MartenOneEventPerSave(IDocumentStore store, IngestData data, TimeSpan duration, int sessions)
    {
        var lanes = ByStream(data.Events("m1", data.Reports.Count), sessions);
        await Save(store, lanes[0].Take(1));
        var latency = new Latency();
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(lanes.Select(async lane =>
        {
            for (var i = 1; i < lane.Count && clock.Elapsed < duration; i++)
            {
                var started = Latency.Start();
                await Save(store, [lane[i]]);
                latency.Record(started);
            }
        }));
        return (latency.Count / clock.Elapsed.TotalSeconds, latency);
    }

    /// <summary>
    /// One stream is only ever appended to by one lane: Marten's quick append does not serialise concurrent appends
    /// to a stream (they fail), and in EpiGrid a stream has one writer, its cell grain.
    /// </summary>
    static List<List<(string Stream, IEpiEvent Event)>> ByStream(List<(string Stream, IEpiEvent Event)> events, int lanes) =>
        Enumerable.Range(0, lanes).Select(l => events.Where(e => (uint)e.Stream.GetHashCode() % (uint)lanes == l).ToList()).ToList();

    static async Task Save(IDocumentStore store, IEnumerable<(string Stream, IEpiEvent Event)> events)
    {
        await using var session = store.LightweightSession();
        foreach (var stream in events.GroupBy(e => e.Stream))
            session.Events.Append(stream.Key, stream.Select(e => (object)e.Event).ToArray());
        await session.SaveChangesAsync();
    }
}
