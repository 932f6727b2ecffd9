using EpiGrid.Alerts;
using EpiGrid.Grains.Alerts;
using EpiGrid.Grains.Storage;
using EpiGrid.Platform;
using EpiGrid.Tests.Infrastructure;
using Marten;
using Npgsql;
using Weasel.Core;

namespace EpiGrid.Tests.Alerts;

/// <summary>
/// A grid worker's catch-up asks for the alerts of a cell or two among every alert of the province. Written as
/// "the audience holds any of these groups" (<c>jsonb_exists_any</c>), nothing could serve it but the walk along the
/// sequence index: PostgreSQL read every alert after the cursor to find the worker's few (1.7 s at 1,000,000 alerts,
/// from sequence 0: BENCHMARKS.md). It must be a probe of the audience's index, whatever the history's size.
/// </summary>
public sealed class AlertCatchUpPlanTests
{
    const int Cells = 20_000, AlertsPerCell = 3;
    static readonly DateTimeOffset Raised = new(2026, 3, 1, 8, 0, 0, TimeSpan.FromHours(8));

    [Fact]
    public async Task A_workers_catch_up_probes_the_audience_index_and_finds_exactly_the_alerts_of_its_groups()
    {
        await using var db = await TestDatabase.Create();
        using var store = DocumentStore.For(o => MartenSetup.Configure(o, db.ConnectionString));
        await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
        // Each silo start migrates: the index, once made, must read back as configured, not be built again.
        (await store.Storage.Database.CreateMigrationAsync()).Difference.ShouldBe(SchemaPatchDifference.None);
        var records = Enumerable.Range(0, Cells * AlertsPerCell)
            .Select(i => AlertRecord.Raised(Alert($"cell-alert:{i}", CellOf(i % Cells)), i + 1))
            .Append(AlertRecord.Raised(ColourChange("colour:330102:1"), Cells * AlertsPerCell + 1))
            .ToList();
        await store.BulkInsertAsync(records);
        await db.Execute("analyze epigrid.mt_doc_alertrecord");

        var worker = new AlertQuery([AlertGroups.Cell(CellOf(42)), AlertGroups.County("330102")], AfterSeq: 0, Limit: 1000, UpToSeq: records.Count);
        var (where, args) = AlertQueryGrain.Where(worker);

        var plan = await Explain(db, where, args);
        plan.ShouldContain("Bitmap Index Scan on mt_doc_alertrecord_idx_audience_gin", customMessage: plan);
        plan.ShouldNotContain("Index Scan using mt_doc_alertrecord_idx_seq", customMessage: plan);

        await using var session = store.QuerySession();
        var found = await session.QueryAsync<AlertRecord>(where, args);
        found.Select(r => r.Id).ShouldBe(["cell-alert:42", $"cell-alert:{Cells + 42}", $"cell-alert:{2 * Cells + 42}", "colour:330102:1"]);
        found.Select(r => r.Seq).ShouldBeInOrder();
    }

    [Fact]
    public async Task A_group_written_with_json_s_own_characters_names_only_itself()
    {
        await using var db = await TestDatabase.Create();
        using var store = DocumentStore.For(o => MartenSetup.Configure(o, db.ConnectionString));
        await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
        await store.BulkInsertAsync(new[]
        {
            AlertRecord.Raised(Alert("a", "c\"1"), 1),
            AlertRecord.Raised(Alert("b", "c1"), 2),
        });
        var (where, args) = AlertQueryGrain.Where(new AlertQuery([AlertGroups.Cell("c\"1"), "\", \"cell:c1"]));
        await using var session = store.QuerySession();
        (await session.QueryAsync<AlertRecord>(where, args)).Select(r => r.Id).ShouldBe(["a"]);
        // No group at all is no alert, not every alert (and not a statement PostgreSQL refuses).
        var (none, noArgs) = AlertQueryGrain.Where(new AlertQuery([]));
        (await session.QueryAsync<AlertRecord>(none, noArgs)).ShouldBeEmpty();
    }

    /// <summary>The statement deploy/README.md gives operators, to build the index before a rolling deploy without a lock.</summary>
    public const string BuildBeforehand =
        "create index concurrently mt_doc_alertrecord_idx_audience_gin on epigrid.mt_doc_alertrecord using gin ((data -> 'audience') jsonb_path_ops)";

    [Fact]
    public async Task The_index_built_beforehand_by_hand_is_the_one_the_migration_wants()
    {
        await using var db = await TestDatabase.Create();
        using var store = DocumentStore.For(o => MartenSetup.Configure(o, db.ConnectionString));
        await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
        await db.Execute("drop index epigrid.mt_doc_alertrecord_idx_audience_gin");
        (await store.Storage.Database.CreateMigrationAsync()).Difference.ShouldNotBe(SchemaPatchDifference.None);

        await db.Execute(BuildBeforehand);
        (await store.Storage.Database.CreateMigrationAsync()).Difference.ShouldBe(SchemaPatchDifference.None);
        File.ReadAllText(Path.Combine(Repository.Root, "deploy", "README.md")).ShouldContain(BuildBeforehand);
    }

    static string CellOf(int i) => $"330102-{i:D5}";

    static AlertDraft Alert(string id, string cellId) => AlertDraft.Of(id, "visit", Severities.Task, cellId, "330102",
        new Bilingual("Visit", "走访"), Raised, null, new Dictionary<string, string>(),
        [AlertGroups.Cell(cellId), AlertGroups.CountyOfficials("330102")], "alerts-v1");

    static AlertDraft ColourChange(string id) => AlertDraft.Of(id, "colour", Severities.Info, null, "330102",
        new Bilingual("Colour", "颜色"), Raised, null, new Dictionary<string, string>(),
        [AlertGroups.County("330102"), AlertGroups.Province], "alerts-v1");

    /// <summary>The plan of the statement Marten sends for <paramref name="where"/>, its "?" placeholders as positional parameters.</summary>
    static async Task<string> Explain(TestDatabase db, string where, object[] args)
    {
        var n = 0;
        var sql = "explain analyze select d.data from epigrid.mt_doc_alertrecord as d " + string.Concat(where.Select(c => c == '?' ? $"${++n}" : c.ToString()));
        n.ShouldBe(args.Length);
        await using var connection = new NpgsqlConnection(db.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var arg in args) command.Parameters.Add(new NpgsqlParameter { Value = arg });
        var lines = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) lines.Add(reader.GetString(0));
        return string.Join('\n', lines);
    }
}
