using EpiGrid.Alerts;
using EpiGrid.Cells;
using EpiGrid.Grains.Alerts;
using EpiGrid.Grains.Cells;
using EpiGrid.Grains.People;
using EpiGrid.Grains.Storage;
using EpiGrid.People;
using EpiGrid.Platform;
using Marten;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace EpiGrid.Bench.Workloads;

/// <summary>
/// The store alone writing what the platform records for each imported arrival, decided beforehand by the platform's
/// own rules: the person's stream started with its events (the arrival and the health code it causes) and the person's
/// register row; the traveller appended to the cell's stream and the cell's register row; the visit alert's stream
/// started and its register row. No Orleans, no HTTP, no CSV: the bounds of the import's rate on the same machine in
/// the same run, as Marten's batched append bounds the batch API.
/// </summary>
static class ImportBaselines
{
    /// <summary>What one row writes.</summary>
    sealed record Arrival(string CellId, StreamWrite Person, IReadOnlyList<IEpiEvent> Traveller, CellRecord Cell, IReadOnlyList<StreamWrite> Alerts)
    {
        public int Events => Person.Events.Count + Traveller.Count + Alerts.Sum(a => a.Events.Count);
    }

    /// <summary>
    /// Marten's own append and document writes: <paramref name="perSave"/> rows a SaveChanges, <paramref name="writers"/>
    /// saves in flight (a cell's rows all in one lane: a stream has one writer, as its cell grain is in the platform).
    /// Rows a second, and events a row.
    /// </summary>
    public static async Task<(double Rate, double EventsPerRow)> Marten(
        IDocumentStore store, IReadOnlyList<ImportWorkload.Row> rows, int run, int perSave, int writers)
    {
        var lanes = Decide(rows, run, variant: 0).GroupBy(a => (uint)a.CellId.GetHashCode() % (uint)writers)
            .Select(lane => lane.Chunk(perSave).ToList()).ToList();
        var events = lanes.Sum(lane => lane.Sum(save => save.Sum(a => a.Events)));

        var clock = Stopwatch.StartNew();
        await Task.WhenAll(lanes.Select(async lane =>
        {
            foreach (var save in lane)
            {
                await using var session = store.LightweightSession();
                foreach (var a in save)
                {
                    session.Events.StartStream(a.Person.StreamKey, a.Person.Events.Cast<object>().ToArray());
                    session.Insert(a.Person.Inserts.ToArray());
                    foreach (var alert in a.Alerts)
                    {
                        session.Events.StartStream(alert.StreamKey, alert.Events.Cast<object>().ToArray());
                        session.Insert(alert.Inserts.ToArray());
                    }
                }
                foreach (var cell in save.GroupBy(a => a.CellId))
                {
                    session.Events.Append(StreamKeys.Cell(cell.Key), cell.SelectMany(a => a.Traveller).Cast<object>().ToArray());
                    session.Store(cell.Last().Cell);
                }
                await session.SaveChangesAsync();
            }
        }));
        return (rows.Count / clock.Elapsed.TotalSeconds, (double)events / rows.Count);
    }

    /// <summary>
    /// The platform's own group commit (<see cref="GroupCommitLog"/>, its default writers and lanes) on the store given
    /// (<paramref name="chained"/>: one with the audit chain's trigger, as the platform's is), written as the import
    /// does: <paramref name="chunk"/> rows at a time, the chunk's persons together in the bulk lane, then each cell's
    /// travellers in one write, while the chunk's alerts go to the urgent lane. Rows a second, until every write (the alerts too) is committed.
    /// </summary>
    public static async Task<double> GroupCommit(IDocumentStore store, string connectionString, IReadOnlyList<ImportWorkload.Row> rows, int run, int chunk,
        bool chained)
    {
        var arrivals = Decide(rows, run, variant: chained ? 2 : 1);
        var versions = new Dictionary<string, long>(StringComparer.Ordinal);
        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"select id, version from {MartenSetup.Schema}.mt_streams where id = any(@ids)", connection);
            command.Parameters.AddWithValue("ids", arrivals.Select(a => StreamKeys.Cell(a.CellId)).Distinct().ToArray());
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync()) versions[reader.GetString(0)] = reader.GetInt64(1);
        }

        using var log = new GroupCommitLog(store, Options.Create(new EventLogOptions()), NullLogger<GroupCommitLog>.Instance);
        await log.StartAsync(CancellationToken.None);
        var alerts = new List<Task>();
        var clock = Stopwatch.StartNew();
        foreach (var part in arrivals.Chunk(chunk))
        {
            await Task.WhenAll(part.Select(a => log.AppendAsync(a.Person)));
            await Task.WhenAll(part.GroupBy(a => a.CellId).Select(cell =>
            {
                var key = StreamKeys.Cell(cell.Key);
                var events = cell.SelectMany(a => a.Traveller).ToList();
                var write = new StreamWrite(key, versions[key], events, [], [cell.Last().Cell], WriteLane.Bulk);
                versions[key] += events.Count;
                return log.AppendAsync(write);
            }));
            alerts.AddRange(part.SelectMany(a => a.Alerts).Select(a => log.AppendAsync(a)));
        }
        await Task.WhenAll(alerts);
        var rate = rows.Count / clock.Elapsed.TotalSeconds;
        await log.StopAsync(CancellationToken.None);
        return rate;
    }

    /// <summary>
    /// Each row's writes, decided by the platform's rules (PersonDecider, CellDecider, AlertRules) before any clock starts;
    /// persons, arrivals and alerts of their own for each <paramref name="variant"/>, so that no two baselines write the same
    /// stream even on one store.
    /// </summary>
    static List<Arrival> Decide(IReadOnlyList<ImportWorkload.Row> source, int run, int variant)
    {
        var rows = source.Select(r => r with { RecordId = $"v{variant}-{r.RecordId}" });
        var protector = new PersonalDataProtector(Convert.ToBase64String(new byte[32]) + $"bench-import-baseline-{variant}");
        var offset = TimeSpan.FromHours(8);
        var now = DateTimeOffset.UtcNow;
        var alertOptions = new AlertOptions();
        var seq = (run + 1) * 100_000_000L + variant * 10_000_000L;
        var cells = new Dictionary<string, CellState>(StringComparer.Ordinal);
        var arrivals = new List<Arrival>(source.Count);
        foreach (var row in rows)
        {
            var report = new ReportArrival(new Provenance("bench", row.Source), ResidentId.Mask(row.IdNumber), row.Name,
                row.Phone is null ? null : PhoneNumber.Mask(row.Phone), row.Phone is null ? null : protector.PhoneHash(row.Phone),
                row.OriginArea, row.OriginRisk, row.ArrivedAt, row.Mode, row.CellId, new ReportSource(row.Source, row.RecordId));
            var personRef = protector.PersonRef(row.IdNumber);
            var county = Province.CountyOfCell(row.CellId);
            var decision = PersonDecider.Arrival(new PersonState(personRef), report, county, now, new TravellerOptions());
            var (working, all) = PersonDecider.Settle(new PersonState(personRef), decision.Events, now, offset, report.By);

            if (!cells.TryGetValue(row.CellId, out var cell))
            {
                cells[row.CellId] = cell = new CellState(row.CellId);
                cell.Apply(new CellRegistered(row.CellId, county, row.CellId, 300, new EventMeta("bench", "reference-data", now, now)), 1);
            }
            var traveller = CellDecider.Decide(cell, PersonDecider.TravellerOf(report, decision.ArrivalId!, now, offset), now).Events;
            foreach (var e in traveller) cell.Apply(e, cell.Version + 1);

            var alerts = all.SelectMany(e => AlertRules.ForPersonEvent(e, row.CellId, county, alertOptions))
                .Concat(traveller.SelectMany(e => AlertRules.ForCellEvent(e, alertOptions)))
                .DistinctBy(d => d.Id)
                .Select(draft =>
                {
                    var raised = AlertRecord.Raised(draft, ++seq);
                    var e = new AlertRaised(draft, raised.Seq, new EventMeta("epigrid", "alert-rules", now, now, $"rules {draft.RuleVersion}"));
                    return new StreamWrite(StreamKeys.Alert(draft.Id), 0, [e], [raised], [], WriteLane.Urgent);
                }).ToList();
            arrivals.Add(new Arrival(row.CellId,
                new StreamWrite(StreamKeys.Person(personRef), 0, all, [PersonRecord.Of(working, offset)], [], WriteLane.Bulk),
                traveller, CellWrites.RecordOf(cell), alerts));
        }
        return arrivals;
    }
}
