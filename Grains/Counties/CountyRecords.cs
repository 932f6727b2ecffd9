using EpiGrid.Grains.Storage;
using System.Data;
using Marten;
using Marten.Services;
using Microsoft.Extensions.Options;
using Npgsql;
using EpiGrid.Counties;
using EpiGrid.Counties.Rules;
using EpiGrid.Platform;

namespace EpiGrid.Grains.Counties;

/// <summary>Reads what the store holds for a county: the truth a county reconciles with.</summary>
public sealed class CountyRecords(IDocumentStore store, IOptions<CountyOptions> options)
{
    readonly SemaphoreSlim reconcileReads = new(Math.Max(1, options.Value.ConcurrentReconcileReads));

    /// <summary>The county's cell rows: each cell's stream version, travellers and control.</summary>
    public async Task<IReadOnlyList<CellRecord>> CellsOf(string county)
    {
        await using var session = store.QuerySession();
        return await session.Query<CellRecord>().Where(c => c.County == county).ToListAsync();
    }

    /// <summary>
    /// These cells' rows and all their cases, read in one snapshot (repeatable read): a county replaces what it holds of a
    /// cell with them (<see cref="CountyCaseBook.Replace"/>), so the cases must be those of the version the row says.
    /// </summary>
    public async Task<(IReadOnlyList<CellRecord> Cells, IReadOnlyList<CaseRecord> Cases)> CellsWithCases(string[] cellIds)
    {
        await using var connection = store.Storage.Database.CreateConnection();
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead);
        await using var session = store.QuerySession(SessionOptions.ForTransaction(transaction));
        var cells = await session.Query<CellRecord>().Where(c => c.Id.IsOneOf(cellIds)).ToListAsync();
        var cases = await session.Query<CaseRecord>().Where(c => c.CellId.IsOneOf(cellIds)).ToListAsync();
        await transaction.CommitAsync();
        return (cells, cases);
    }

    /// <summary>
    /// <see cref="CellsWithCases"/> for a reconcile: at most <see cref="CountyOptions.ConcurrentReconcileReads"/> of them at
    /// once in the silo, each given back (and its records taken into the county's book) before the next begins.
    /// </summary>
    public async Task ForReconcile(string[] cellIds, Action<IReadOnlyList<CellRecord>, IReadOnlyList<CaseRecord>> take)
    {
        await reconcileReads.WaitAsync();
        try
        {
            var (cells, cases) = await CellsWithCases(cellIds);
            take(cells, cases);
        }
        finally
        {
            reconcileReads.Release();
        }
    }

    /// <summary>
    /// Per county, the sum of its cell stream versions: every change of a cell raises its version, so a county whose own
    /// sum is lower has not heard of something the store holds. One grouped read for the whole province, and none at
    /// all while nothing new was committed (the event sequence did not move).
    /// </summary>
    public async Task<IReadOnlyDictionary<string, long>> VersionSums()
    {
        await using var session = store.QuerySession();
        long highWater;
        await using (var reader = await session.ExecuteReaderAsync(new NpgsqlCommand(
            $"select coalesce(max(seq_id), 0) from {store.Options.Events.DatabaseSchemaName}.mt_events")))
        {
            await reader.ReadAsync();
            highWater = reader.GetInt64(0);
        }
        // Sequence numbers are taken before commit, so a transaction can become visible under a high-water mark
        // already seen: the sums are read once more after the mark stops moving, and only then reused.
        var last = lastSums;
        if (last is { Settled: true } && last.HighWater == highWater) return last.Sums;

        var table = store.Options.FindOrResolveDocumentType(typeof(CellRecord)).TableName.QualifiedName;
        var sums = new Dictionary<string, long>(StringComparer.Ordinal);
        await using (var reader = await session.ExecuteReaderAsync(new NpgsqlCommand(
            $"select data->>'county', sum((data->>'version')::bigint)::bigint from {table} group by 1")))
        {
            while (await reader.ReadAsync()) sums[reader.GetString(0)] = reader.GetInt64(1);
        }
        lastSums = new VersionSumsAt(highWater, Settled: last?.HighWater == highWater, sums);
        return sums;
    }

    sealed record VersionSumsAt(long HighWater, bool Settled, IReadOnlyDictionary<string, long> Sums);
    VersionSumsAt? lastSums;

    /// <summary>The colours last recorded for the county, per rule set, and the county stream's version.</summary>
    public async Task<(Dictionary<string, ColourDecision> Colours, long Version)> LastColours(string county)
    {
        await using var session = store.QuerySession();
        var events = await session.Events.FetchStreamAsync(StreamKeys.County(county));
        var colours = new Dictionary<string, ColourDecision>();
        foreach (var e in events.Select(e => e.Data).OfType<CountyColourChanged>())
            colours[e.RuleSet] = new ColourDecision(e.RuleSet, e.RuleVersion, e.Level, e.Colour, e.Reasons, e.Inputs);
        return (colours, events.Count == 0 ? 0 : events[^1].Version);
    }
}
