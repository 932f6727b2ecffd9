using EpiGrid.Platform;
using System.Net.Http.Json;
using EpiGrid.Grains.Storage;
using EpiGrid.Simulator.Runner;
using JasperFx;
using Marten;
using Npgsql;

namespace EpiGrid.Bench.Workloads;

/// <summary>
/// Events per second rebuilding the whole province as of a moment through the audit API
/// (<c>GET /api/v1/province?asOf=&amp;knownAt=</c>: read every case and traveller event of every cell, fold them
/// into 90 counties, compute indicators and three rule sets), against a raw sequential read of the same events
/// with Npgsql and their deserialisation with the platform's own serializer, on the same database in the same run.
/// Runs last, on the events this run's workloads wrote. (Formerly a skipped, by-hand xunit test: ReplayBenchmark.)
/// </summary>
public sealed class ReplayWorkload : IWorkload
{
    const double GoalShare = 0.5;
    const int Rounds = 3;
    static readonly string[] Kinds = [.. StoredEvents.CountyInputs];
    readonly Figures figures = new();

    public string Name => "replay";

    public Task Baseline(BenchContext ctx, int run) => Task.CompletedTask;

    public async Task Measure(BenchContext ctx, PlatformUnderTest platform, int run)
    {
        var database = ctx.Database(PlatformUnderTest.DatabaseOf(platform.Run));
        using var client = PlatformClient.For(platform.BaseAddress, 4);
        var token = await LiveClients.DevToken(client, "auditor", subject: "bench-replay");
        await using var store = DocumentStore.For(o =>
        {
            MartenSetup.Configure(o, database);
            o.AutoCreateSchemaObjects = AutoCreate.None;
        });
        var serializer = store.Options.Serializer();
        var types = StoredEvents.All.ToDictionary(e => e.Name, e => e.Type, StringComparer.Ordinal);
        await using var source = NpgsqlDataSource.Create(database);

        var moment = DateTimeOffset.UtcNow.ToString("O");
        long events;
        await using (var count = source.CreateCommand(
                         $"select count(*) from {MartenSetup.Schema}.mt_events where type = any(@kinds) and stream_id like 'cell:%'"))
        {
            count.Parameters.AddWithValue("kinds", Kinds);
            events = (long)(await count.ExecuteScalarAsync())!;
        }

        // Alternate the two, best of three each: the machine is shared, and the first read warms PostgreSQL's cache.
        var raw = double.MaxValue;
        var replay = double.MaxValue;
        for (var round = 0; round < Rounds; round++)
        {
            var clock = Stopwatch.StartNew();
            long read = 0;
            await using (var command = source.CreateCommand(
                             $"select seq_id, stream_id, version, type, data, timestamp from {MartenSetup.Schema}.mt_events "
                             + "where type = any(@kinds) and stream_id like 'cell:%' order by seq_id"))
            {
                command.Parameters.AddWithValue("kinds", Kinds);
                await using var reader = await command.ExecuteReaderAsync();
                while (await reader.ReadAsync())
                {
                    _ = (reader.GetInt64(0), reader.GetString(1), reader.GetInt64(2), reader.GetFieldValue<DateTimeOffset>(5));
                    if (types.TryGetValue(reader.GetString(3), out var type) && serializer.FromJson(type, reader, 4) is IEpiEvent) read++;
                }
            }
            raw = Math.Min(raw, clock.Elapsed.TotalSeconds);
            if (read != events) BenchContext.Log($"replay run {run}: raw read {read:N0} of {events:N0} events");

            clock.Restart();
            using var request = client.Request(HttpMethod.Get, $"/api/v1/province?asOf={Uri.EscapeDataString(moment)}&knownAt={Uri.EscapeDataString(moment)}", token);
            using var response = await client.Http.SendAsync(request);
            response.EnsureSuccessStatusCode();
            var province = await response.Content.ReadFromJsonAsync<JsonObject>();
            replay = Math.Min(replay, clock.Elapsed.TotalSeconds);
            if (round == 0 && province?["totals"]?["confirmedTotal"] is null) throw new InvalidOperationException("The replayed province has no totals");
        }

        figures.Add("events", events, "events");
        figures.Add("replayEventsPerSecond", events / replay, "events/s");
        figures.Add("replaySeconds", replay, "s");
        figures.Add("rawReadEventsPerSecond", events / raw, "events/s");
        figures.Add("rawReadSeconds", raw, "s");
        BenchContext.Log($"replay run {run}: province as of now over {events:N0} events in {replay:0.00} s = {events / replay:N0} events/s; "
            + $"raw read + deserialise {raw:0.00} s = {events / raw:N0} events/s (best of {Rounds} each)");
    }

    public JsonObject Result()
    {
        var share = Math.Round(figures["replayEventsPerSecond"].Median / figures["rawReadEventsPerSecond"].Median, 3);
        return new JsonObject
        {
            ["status"] = "measured",
            ["epigrid"] = figures.ToJson("replayEventsPerSecond", "replaySeconds", "events"),
            ["baseline"] = figures.ToJson("rawReadEventsPerSecond", "rawReadSeconds"),
            ["ratio"] = new JsonObject { ["replayToRawRead"] = share },
            ["goal"] = $"events/s rebuilding the province as of a moment: at least {GoalShare:P0} of the raw read",
            ["met"] = share >= GoalShare,
            ["setup"] = "GET /api/v1/province?asOf=now&knownAt=now as an auditor (HTTP, replay in the web host, audit query recorded) against "
                + "Npgsql reading the same rows (case and traveller events of every cell stream, in sequence order) and deserialising each with "
                + $"Marten's configured serializer in the bench process; same database, platform idle; best of {Rounds} alternating rounds a run",
        };
    }
}
