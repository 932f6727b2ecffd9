using EpiGrid.Alerts;
using EpiGrid.Platform;
using System.Net.Http.Headers;
using System.Text;
using EpiGrid.Grains.Storage;
using EpiGrid.People;
using EpiGrid.Simulator.Runner;
using Npgsql;
using NpgsqlTypes;

namespace EpiGrid.Bench.Workloads;

/// <summary>
/// Rows per second of the arrivals CSV (<c>POST /api/v1/imports/arrivals</c>, the whole file in one request as
/// <c>epigrid import arrivals</c> sends it; the API answers once every row is committed), against a binary COPY of
/// the same rows into a PostgreSQL table and the store alone writing what each row records (<see cref="ImportBaselines"/>),
/// in the same run. The file is the shape of the 2020 Hubei list
/// (ImportTests): 300,000 valid rows over every seeded cell, high and medium risk, a fifth with a phone number.
/// A second upload of the same file measures the idempotent path (every row already there).
/// </summary>
public sealed class ImportWorkload : IWorkload
{
    const double GoalShare = 0.25;
    /// <summary>Issue 18: a single report's p99 while an import runs.</summary>
    const double ProbeGoalP99Ms = 250;
    /// <summary>Issue 18: the import's rate.</summary>
    const double Issue18RowsPerSecond = 5_000;
    const int ProbesPerSecond = 20, ProbeAtRestSeconds = 10;
    const string Header = "idNumber,name,phone,originArea,originRisk,arrivedAt,mode,source,sourceRecordId,cellId";
    readonly Figures figures = new();

    public string Name => "import";

    /// <summary>The file's rows; <c>EPIGRID_BENCH_IMPORT_ROWS</c> sets another count (a longer upload to profile, BENCHMARKS.md).</summary>
    static int Rows(BenchContext ctx) =>
        int.TryParse(Environment.GetEnvironmentVariable("EPIGRID_BENCH_IMPORT_ROWS"), out var rows) && rows > 0 ? rows : ctx.Quick ? 12_000 : 300_000;

    /// <summary>
    /// Rows imported (and not measured) before the measured upload. Each run starts a fresh platform, and in its first
    /// minute the silo's JIT was measured at 0.7–1.5 s of every 2 s (dotnet-counters, tier-0 code being recompiled):
    /// a long-running silo does not pay that per import. Other persons, so the measured rows stay all new.
    /// </summary>
    const int WarmUpRows = 4_000;

    public async Task Baseline(BenchContext ctx, int run)
    {
        var rows = Arrivals(ctx, run, Rows(ctx)).ToList();
        await IngestBaselines.EnsureDatabase(ctx);
        await using var connection = new NpgsqlConnection(ctx.Database(IngestBaselines.BaselineDatabase));
        await connection.OpenAsync();
        await using (var create = new NpgsqlCommand("""
            drop table if exists copy_arrivals;
            create table copy_arrivals (id_number text not null, name text, phone text, origin_area text not null, origin_risk text not null,
                                        arrived_at timestamptz not null, mode text not null, source text not null, source_record_id text not null,
                                        cell_id text not null, primary key (source, source_record_id));
            create index on copy_arrivals (cell_id);
            """, connection)) await create.ExecuteNonQueryAsync();
        var clock = Stopwatch.StartNew();
        await using (var copy = await connection.BeginBinaryImportAsync(
                         "copy copy_arrivals (id_number, name, phone, origin_area, origin_risk, arrived_at, mode, source, source_record_id, cell_id) from stdin (format binary)"))
        {
            foreach (var r in rows)
            {
                await copy.StartRowAsync();
                await copy.WriteAsync(r.IdNumber, NpgsqlDbType.Text);
                if (r.Name is null) await copy.WriteNullAsync(); else await copy.WriteAsync(r.Name, NpgsqlDbType.Text);
                if (r.Phone is null) await copy.WriteNullAsync(); else await copy.WriteAsync(r.Phone, NpgsqlDbType.Text);
                await copy.WriteAsync(r.OriginArea, NpgsqlDbType.Text);
                await copy.WriteAsync(r.OriginRisk, NpgsqlDbType.Text);
                await copy.WriteAsync(r.ArrivedAt, NpgsqlDbType.TimestampTz);
                await copy.WriteAsync(r.Mode, NpgsqlDbType.Text);
                await copy.WriteAsync(r.Source, NpgsqlDbType.Text);
                await copy.WriteAsync(r.RecordId, NpgsqlDbType.Text);
                await copy.WriteAsync(r.CellId, NpgsqlDbType.Text);
            }
            await copy.CompleteAsync();
        }
        var rate = rows.Count / clock.Elapsed.TotalSeconds;
        figures.Add("rawCopyRowsPerSecond", rate, "rows/s");

        // The store alone writing what each row records (ImportBaselines): Marten's own append, then the platform's group
        // commit on a store without the audit chain and on one with it (the platform's store has it). Each on an empty
        // store of its own, as the platform's run starts on one: a store that kept the earlier runs' rows wrote slower each run.
        using var store = await IngestBaselines.Marten(ctx, MartenDatabase, fresh: true);
        var (marten, eventsPerRow) = await ImportBaselines.Marten(store, rows, run, MartenArrivalsPerSave, writers: 2);
        figures.Add("martenArrivalsRowsPerSecond", marten, "rows/s");
        figures.Add("arrivalEventsPerRow", eventsPerRow, "events");
        using var unchainedStore = await IngestBaselines.Marten(ctx, GroupCommitDatabase, fresh: true);
        var groupCommit = await ImportBaselines.GroupCommit(unchainedStore, ctx.Database(GroupCommitDatabase), rows, run, ChunkRows, chained: false);
        figures.Add("groupCommitArrivalsRowsPerSecond", groupCommit, "rows/s");
        using var chainedStore = await IngestBaselines.Marten(ctx, ChainedDatabase, fresh: true, chained: true);
        var chained = await ImportBaselines.GroupCommit(chainedStore, ctx.Database(ChainedDatabase), rows, run, ChunkRows, chained: true);
        figures.Add("groupCommitChainedArrivalsRowsPerSecond", chained, "rows/s");
        BenchContext.Log($"import baseline run {run}: raw COPY of {rows.Count:N0} arrival rows {rate:N0} rows/s; what each row records "
            + $"({eventsPerRow:0.00} events): Marten {MartenArrivalsPerSave} rows a save, 2 in flight, {marten:N0} rows/s; the group commit "
            + $"{groupCommit:N0} rows/s, with the audit chain {chained:N0} rows/s");
        // Those wrote gigabytes of WAL (about 11 KB a row each): their dirty pages are flushed now, not by a checkpoint
        // during the platform's import that follows, which would then share the disk with them.
        await using (var checkpoint = new NpgsqlCommand("checkpoint", connection)) await checkpoint.ExecuteNonQueryAsync();
    }

    const string MartenDatabase = "baseline_import", GroupCommitDatabase = "baseline_import_gc", ChainedDatabase = "baseline_import_chained";
    /// <summary>Arrivals a SaveChanges in the Marten baseline: about the group commit's 1,000 events a transaction.</summary>
    const int MartenArrivalsPerSave = 250;
    /// <summary>Rows the web host hands the import grain at a time (ArrivalImport.ChunkSize).</summary>
    const int ChunkRows = 4_000;

    public async Task Measure(BenchContext ctx, PlatformUnderTest platform, int run)
    {
        var csv = Csv(Arrivals(ctx, run, Rows(ctx)));
        var rows = Rows(ctx);
        using var client = PlatformClient.For(platform.BaseAddress, 2);
        client.Http.Timeout = TimeSpan.FromMinutes(10);
        var token = await client.DevToken("ingest");
        await using var source = NpgsqlDataSource.Create(ctx.Database(PlatformUnderTest.DatabaseOf(platform.Run)));
        async Task<long> Count(string type)
        {
            await using var count = source.CreateCommand($"select count(*) from {MartenSetup.Schema}.mt_events where type = '{type}'");
            return (long)(await count.ExecuteScalarAsync())!;
        }

        var (alertsBefore, arrivalsBefore) = (await Count(StoredEvents.NameOf<AlertRaised>()), await Count(StoredEvents.NameOf<ArrivalReported>()));
        var (warm, warmSeconds) = await Upload(client, token, Csv(Arrivals(ctx, run, WarmUpRows, warmUp: true)));
        var warmed = warm["imported"]!.GetValue<int>();
        var warmClock = Stopwatch.StartNew(); // its visit alerts follow the answer: the measured upload starts after them
        while (await Count(StoredEvents.NameOf<AlertRaised>()) - alertsBefore < warmed && warmClock.Elapsed < TimeSpan.FromMinutes(1)) await Task.Delay(250);
        await Task.Delay(TimeSpan.FromSeconds(2)); // the JIT's background recompilation of what the warm-up made hot
        BenchContext.Log($"import run {run}: warm-up {warmed:N0} rows in {warmSeconds:0.0} s (not measured)");
        (alertsBefore, arrivalsBefore) = (await Count(StoredEvents.NameOf<AlertRaised>()), await Count(StoredEvents.NameOf<ArrivalReported>()));
        // Grid workers' single reports, a steady ProbesPerSecond from a client of their own: at rest first, then while the
        // measured upload runs (until its answer). Issue 18's first goal: a report must not wait while a source system uploads.
        using var probeClient = PlatformClient.For(platform.BaseAddress, 16);
        var probeData = new IngestData(ctx, 9_000 + run, ProbesPerSecond * (ProbeAtRestSeconds + 600) + 200);
        var probes = probeData.Singles($"p{run}", probeData.Reports.Count);
        foreach (var (path, body) in probes.TakeLast(100)) await IngestWorkload.Post(probeClient, token, path, body); // warm-up
        var atRest = await IngestWorkload.Paced(probeClient, token, probes.Take(ProbesPerSecond * ProbeAtRestSeconds).ToList(), ProbesPerSecond,
            TimeSpan.FromSeconds(ProbeAtRestSeconds));
        using var uploaded = new CancellationTokenSource();
        var duringImport = IngestWorkload.Paced(probeClient, token, probes.Skip(ProbesPerSecond * ProbeAtRestSeconds).SkipLast(100).ToList(),
            ProbesPerSecond, TimeSpan.FromHours(1), uploaded.Token);

        var pgPort = CpuTime.PortOf(ctx.PostgresServer);
        var cpu = (Silo: CpuTime.Of(platform.Silo), Web: CpuTime.Of(platform.WebHost), Pg: CpuTime.OfPostgres(pgPort));
        var clock = Stopwatch.StartNew();
        var (first, firstSeconds) = await Upload(client, token, csv);
        var cpuAtAnswer = (Silo: CpuTime.Of(platform.Silo), Web: CpuTime.Of(platform.WebHost), Pg: CpuTime.OfPostgres(pgPort));
        await uploaded.CancelAsync();
        var during = await duringImport;
        figures.Add("probeP50AtRestMs", atRest.PercentileMs(50), "ms");
        figures.Add("probeP99AtRestMs", atRest.PercentileMs(99), "ms");
        figures.Add("probeP50DuringImportMs", during.PercentileMs(50), "ms");
        figures.Add("probeP99DuringImportMs", during.PercentileMs(99), "ms");
        BenchContext.Log($"import run {run}: single reports at {ProbesPerSecond}/s, at rest ({atRest.Count}) p50 {atRest.PercentileMs(50):0} ms p99 "
            + $"{atRest.PercentileMs(99):0} ms; during the upload ({during.Count}) p50 {during.PercentileMs(50):0} ms p99 {during.PercentileMs(99):0} ms");
        var imported = first["imported"]!.GetValue<int>();
        var errors = first["errors"]!.AsArray().Count;
        var rate = imported / firstSeconds;
        figures.Add("rowsPerSecond", rate, "rows/s");
        figures.Add("seconds", firstSeconds, "s");
        figures.Add("rowErrors", errors, "rows");

        // Durable: the API answered after the commits; the events are in the store.
        var stored = await Count(StoredEvents.NameOf<ArrivalReported>()) - arrivalsBefore;
        figures.Add("arrivalsStored", stored, "events");
        if (stored != rows) BenchContext.Log($"import run {run}: {stored:N0} arrivals stored for {rows:N0} rows");
        // Every row raises a visit task (high and medium risk) after its cell committed the traveller, not before the
        // answer: until all of them are committed too, the import still loads the platform. Bounded wait.
        while (await Count(StoredEvents.NameOf<AlertRaised>()) - alertsBefore < imported && clock.Elapsed < TimeSpan.FromMinutes(3)) await Task.Delay(250);
        var alertsSeconds = clock.Elapsed.TotalSeconds;
        var alerts = await Count(StoredEvents.NameOf<AlertRaised>()) - alertsBefore;
        figures.Add("rowsPerSecondWithAlerts", Math.Min(alerts, imported) / alertsSeconds, "rows/s");
        figures.Add("visitAlertsCommitted", alerts, "alerts");
        // Where the time goes: CPU milliseconds a thousand rows, per process, until the answer and until the alerts.
        var cpuAtAlerts = (Silo: CpuTime.Of(platform.Silo), Web: CpuTime.Of(platform.WebHost), Pg: CpuTime.OfPostgres(pgPort));
        var perThousand = 1000.0 * 1000 / Math.Max(1, imported);
        figures.Add("siloCpuMsPerThousandRows", (cpuAtAnswer.Silo - cpu.Silo) * perThousand, "ms");
        figures.Add("webHostCpuMsPerThousandRows", (cpuAtAnswer.Web - cpu.Web) * perThousand, "ms");
        figures.Add("postgresCpuMsPerThousandRows", (cpuAtAnswer.Pg - cpu.Pg) * perThousand, "ms");
        figures.Add("siloCpuMsPerThousandRowsWithAlerts", (cpuAtAlerts.Silo - cpu.Silo) * perThousand, "ms");
        figures.Add("postgresCpuMsPerThousandRowsWithAlerts", (cpuAtAlerts.Pg - cpu.Pg) * perThousand, "ms");

        var (second, secondSeconds) = await Upload(client, token, csv);
        var duplicates = second["duplicates"]!.GetValue<int>();
        figures.Add("reimportRowsPerSecond", duplicates / secondSeconds, "rows/s");
        figures.Add("reimportAdded", second["imported"]!.GetValue<int>(), "rows");
        BenchContext.Log($"import run {run}: {imported:N0} of {rows:N0} rows in {firstSeconds:0.0} s = {rate:N0} rows/s ({errors} row errors); "
            + $"their {alerts:N0} visit alerts committed after {alertsSeconds:0.0} s; CPU ms a thousand rows until the answer: silo "
            + $"{(cpuAtAnswer.Silo - cpu.Silo) * perThousand:N0}, web host {(cpuAtAnswer.Web - cpu.Web) * perThousand:N0}, PostgreSQL {(cpuAtAnswer.Pg - cpu.Pg) * perThousand:N0}; "
            + $"again: {second["imported"]} added, {duplicates:N0} already there, {duplicates / secondSeconds:N0} rows/s");
    }

    /// <summary>One upload of <paramref name="csv"/> (its answer, and the seconds to it); a refused file throws.</summary>
    internal static async Task<(JsonObject Result, double Seconds)> Upload(PlatformClient client, string token, byte[] csv)
    {
        using var request = client.Request(HttpMethod.Post, "/api/v1/imports/arrivals", token);
        request.Content = new ByteArrayContent(csv) { Headers = { ContentType = new MediaTypeHeaderValue("text/csv") { CharSet = "utf-8" } } };
        var clock = Stopwatch.StartNew();
        using var response = await client.Http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        var seconds = clock.Elapsed.TotalSeconds;
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"Import answered {(int)response.StatusCode}: {body[..Math.Min(body.Length, 500)]}");
        return (JsonNode.Parse(body)!.AsObject(), seconds);
    }

    /// <summary>One row of the arrivals CSV (the columns of <see cref="Header"/>).</summary>
    internal sealed record Row(string IdNumber, string? Name, string? Phone, string OriginArea, string OriginRisk, DateTimeOffset ArrivedAt,
        string Mode, string Source, string RecordId, string CellId);

    /// <summary>
    /// The run's rows: distinct persons (valid GB 11643 numbers), spread over every seeded cell, arrived yesterday.
    /// The warm-up's persons come from other regions (4202xx, not 4201xx) and start at the other end of the cells.
    /// </summary>
    static IEnumerable<Row> Arrivals(BenchContext ctx, int run, int count, bool warmUp = false)
    {
        var cells = ctx.CellIds;
        var arrived = DateTimeOffset.UtcNow.AddDays(-1);
        arrived = new DateTimeOffset(arrived.Year, arrived.Month, arrived.Day, arrived.Hour, 0, 0, TimeSpan.Zero);
        var (region, tag) = warmUp ? (420200, "w") : (420100, "h");
        for (var i = 0; i < count; i++)
        {
            var first17 = $"{region + i % 17}{new DateOnly(1950, 1, 1).AddDays(i / 1000 + run * 20):yyyyMMdd}{i % 1000:000}";
            var cell = warmUp ? cells[cells.Count - 1 - i % cells.Count] : cells[i % cells.Count];
            yield return new Row(first17 + ResidentId.CheckCharacter(first17), i % 4 == 0 ? "李, 四" : null, i % 5 == 0 ? "13800000000" : null,
                "湖北 Hubei", i % 3 == 0 ? "high" : "medium", arrived.AddMinutes(i % 600), "rail", "hubei-list", $"{tag}{run}-{i}", cell);
        }
    }

    /// <summary>The arrivals CSV of <paramref name="rows"/>, header first.</summary>
    internal static byte[] Csv(IEnumerable<Row> rows)
    {
        var text = new StringBuilder(Header).Append('\n');
        foreach (var r in rows)
            text.Append(r.IdNumber).Append(',').Append(r.Name is null ? "" : $"\"{r.Name}\"").Append(',').Append(r.Phone).Append(',')
                .Append(r.OriginArea).Append(',').Append(r.OriginRisk).Append(',').Append(r.ArrivedAt.ToString("O")).Append(',')
                .Append(r.Mode).Append(',').Append(r.Source).Append(',').Append(r.RecordId).Append(',').Append(r.CellId).Append('\n');
        return Encoding.UTF8.GetBytes(text.ToString());
    }

    public JsonObject Result()
    {
        double Ratio(string figure, string baseline) => Math.Round(figures[figure].Median / figures[baseline].Median, 3);
        var share = Math.Round(figures["rowsPerSecond"].Median / figures["rawCopyRowsPerSecond"].Median, 3);
        return new JsonObject
        {
            ["status"] = "measured",
            ["epigrid"] = figures.ToJson("rowsPerSecond", "seconds", "rowErrors", "arrivalsStored", "rowsPerSecondWithAlerts", "visitAlertsCommitted",
                "reimportRowsPerSecond", "reimportAdded",
                "siloCpuMsPerThousandRows", "webHostCpuMsPerThousandRows", "postgresCpuMsPerThousandRows",
                "siloCpuMsPerThousandRowsWithAlerts", "postgresCpuMsPerThousandRowsWithAlerts",
                "probeP50DuringImportMs", "probeP99DuringImportMs", "probeP50AtRestMs", "probeP99AtRestMs"),
            ["baseline"] = figures.ToJson("rawCopyRowsPerSecond", "martenArrivalsRowsPerSecond", "groupCommitArrivalsRowsPerSecond",
                "groupCommitChainedArrivalsRowsPerSecond", "arrivalEventsPerRow"),
            ["ratio"] = new JsonObject
            {
                ["importToRawCopy"] = share,
                ["importToMartenArrivals"] = Ratio("rowsPerSecond", "martenArrivalsRowsPerSecond"),
                ["importToGroupCommitChainedArrivals"] = Ratio("rowsPerSecond", "groupCommitChainedArrivalsRowsPerSecond"),
                ["groupCommitChainedToUnchained"] = Ratio("groupCommitChainedArrivalsRowsPerSecond", "groupCommitArrivalsRowsPerSecond"),
                ["issue18GoalToMartenArrivals"] = Math.Round(Issue18RowsPerSecond / figures["martenArrivalsRowsPerSecond"].Median, 3),
                ["issue18GoalToGroupCommitChainedArrivals"] = Math.Round(Issue18RowsPerSecond / figures["groupCommitChainedArrivalsRowsPerSecond"].Median, 3),
                ["importWithAlertsToRawCopy"] = Math.Round(figures["rowsPerSecondWithAlerts"].Median / figures["rawCopyRowsPerSecond"].Median, 3),
                ["reimportToRawCopy"] = Math.Round(figures["reimportRowsPerSecond"].Median / figures["rawCopyRowsPerSecond"].Median, 3),
                ["probeP99DuringImportToAtRest"] = Math.Round(figures["probeP99DuringImportMs"].Median / figures["probeP99AtRestMs"].Median, 2),
            },
            ["interactiveGoal"] = $"single reports' p99 under {ProbeGoalP99Ms} ms during the import ({ProbesPerSecond}/s, beside their p99 at rest in the same run)",
            ["interactiveMet"] = figures["probeP99DuringImportMs"].Median < ProbeGoalP99Ms,
            ["goal"] = $"rows/s of the 300,000-row arrivals CSV: at least {GoalShare:P0} of raw COPY",
            ["met"] = share >= GoalShare,
            ["issue18Goal"] = $"at least {Issue18RowsPerSecond:N0} rows/s",
            ["issue18Met"] = figures["rowsPerSecond"].Median >= Issue18RowsPerSecond,
            ["setup"] = "one POST /api/v1/imports/arrivals of the whole file as an ingest source (the answer comes after every row is committed: "
                + "person events and register, the cell's traveller; rowsPerSecondWithAlerts: until the rows' visit alerts, raised after the "
                + "cells' commits, are committed too), then the same file again (all duplicates); baseline: "
                + "Npgsql binary COPY of the same rows into a table with the file's columns (primary key source + record id, index on the cell), "
                + $"and Marten alone writing what the platform records for each row (the person's stream and register row, the traveller on the "
                + $"cell's stream and its register row, the visit alert's stream and register row; decided by the platform's rules beforehand; "
                + $"{MartenArrivalsPerSave} rows a SaveChanges, 2 in flight), and the platform's group commit writing the same, {ChunkRows:N0} rows at a time "
                + "as the import does, on a store without the audit chain and on one with its trigger (groupCommitChained; the platform's store has it); "
                + "platform stopped; rows: 300,000 full, 12,000 quick, after a warm-up upload of 4,000 other rows (not measured); probes: "
                + $"single case reports at {ProbesPerSecond}/s from a client of their own, {ProbeAtRestSeconds} s at rest before the upload, then "
                + "from the upload's start to its answer",
        };
    }
}
