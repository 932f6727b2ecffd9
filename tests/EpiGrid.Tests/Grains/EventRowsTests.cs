using EpiGrid.Cells;
using EpiGrid.Platform;
using EpiGrid.Grains.Audit;
using EpiGrid.Grains.Storage;
using EpiGrid.Tests.Infrastructure;
using Marten;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace EpiGrid.Tests.Grains;

/// <summary>
/// The group commit writes events with its own set-based statements (<see cref="EventRows"/>) into Marten's tables:
/// the rows must be the ones Marten writes, Marten must read them back, and the store's keys must still refuse a
/// write that lost a race, without taking the rest of its transaction with it.
/// </summary>
public sealed class EventRowsTests : IAsyncLifetime
{
    TestDatabase db = null!;
    DocumentStore store = null!;
    GroupCommitLog log = null!;

    public async Task InitializeAsync()
    {
        db = await TestDatabase.Create();
        store = DocumentStore.For(o => MartenSetup.Configure(o, db.ConnectionString));
        await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
        await using (var connection = new NpgsqlConnection(db.ConnectionString)) await EventChain.Install(connection);
        log = new GroupCommitLog(store, Options.Create(new EventLogOptions()), NullLogger<GroupCommitLog>.Instance);
        await log.StartAsync(CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await log.StopAsync(CancellationToken.None);
        store.Dispose();
        await db.DisposeAsync();
    }

    static EventMeta Meta(int minute) => new("tester", "test", DateTimeOffset.Parse("2020-02-01T08:00:00Z").AddMinutes(minute),
        DateTimeOffset.Parse("2020-02-01T09:00:00Z").AddMinutes(minute), "because \"quoted\", 中文");

    static IEpiEvent[] CellHistory(string cell) =>
    [
        new CellRegistered(cell, "330782", "义乌 一 cell", 120, Meta(0)),
        new CaseReported("case-" + cell, cell, "330782", CaseKind.Asymptomatic, Local: false, ClusterId: null, Meta(1)),
        new CellDetailsChanged(cell, "renamed", 121, Meta(2)),
    ];

    sealed record Row(string Stream, long Version, string Type, string? DotNet, string Data, string? Tenant, bool Archived, bool HasBdata, long Seq);

    Task<List<Row>> Events(string stream) => db.Rows(
        "select stream_id, version, type, mt_dotnet_type, data::text, tenant_id, is_archived, bdata is not null, seq_id from epigrid.mt_events where stream_id = @s order by version",
        r => new Row(r.GetString(0), r.GetInt64(1), r.GetString(2), r.IsDBNull(3) ? null : r.GetString(3), r.GetString(4),
            r.IsDBNull(5) ? null : r.GetString(5), r.GetBoolean(6), r.GetBoolean(7), r.GetInt64(8)), ("s", stream));

    Task<List<(long Version, string? Tenant, string? Type, bool Archived)>> Stream(string stream) => db.Rows(
        "select version, tenant_id, type, is_archived from epigrid.mt_streams where id = @s",
        r => (r.GetInt64(0), r.IsDBNull(1) ? null : r.GetString(1), r.IsDBNull(2) ? null : r.GetString(2), r.GetBoolean(3)), ("s", stream));

    [Fact]
    public async Task Its_rows_are_the_rows_Marten_writes_and_Marten_reads_them_back()
    {
        var ours = CellHistory("330782-001-001");
        await log.AppendAsync(new StreamWrite("cell:ours", 0, ours[..2], [], []));
        await log.AppendAsync(new StreamWrite("cell:ours", 2, ours[2..], [], []));
        await using (var session = store.LightweightSession())
        {
            session.Events.StartStream("cell:marten", CellHistory("330782-001-001")[..2]);
            await session.SaveChangesAsync();
        }
        await using (var session = store.LightweightSession())
        {
            session.Events.Append("cell:marten", 3, CellHistory("330782-001-001")[2]);
            await session.SaveChangesAsync();
        }

        var (mine, theirs) = (await Events("cell:ours"), await Events("cell:marten"));
        mine.Count.ShouldBe(3);
        mine.Select(r => r with { Stream = "", Seq = 0 }).ShouldBe(theirs.Select(r => r with { Stream = "", Seq = 0 }));
        mine.Select(r => r.Seq).ShouldBeInOrder(SortDirection.Ascending, "sequence numbers follow the versions");
        (await Stream("cell:ours")).ShouldBe(await Stream("cell:marten"));

        await using var query = store.QuerySession();
        var read = await query.Events.FetchStreamAsync("cell:ours");
        read.Select(e => e.Data).ShouldBe(ours, "Marten reads back the events written");
        read.Select(e => e.Version).ShouldBe([1L, 2L, 3L]);
        read.ShouldAllBe(e => e.Timestamp > DateTimeOffset.UtcNow.AddMinutes(-5), "server timestamps");

        var chain = await db.Scalar<long>("select count(*) from epigrid.event_chain where stream_id = 'cell:ours'");
        chain.ShouldBe(3, "the chain trigger chained every event");
        var linked = await db.Scalar<long>("""
            select count(*) from epigrid.event_chain c join epigrid.event_chain p on p.stream_id = c.stream_id and p.version = c.version - 1
            where c.stream_id = 'cell:ours' and c.prev_hash = p.hash
            """);
        linked.ShouldBe(2, "each event is chained to the one before it in its stream");
    }

    [Fact]
    public async Task Events_stored_under_the_names_their_types_had_before_moving_are_read_back()
    {
        // mt_dotnet_type keeps the .NET name an event had when it was written (EpiGrid.Events.CaseReported before the
        // types moved into feature folders): Marten reads an event by its stored name (StoredEvents), never by that one.
        var events = CellHistory("330782-001-003");
        await log.AppendAsync(new StreamWrite("cell:former", 0, events, [], []));
        var renamed = await db.Scalar<long>("""
            with u as (update epigrid.mt_events set mt_dotnet_type = regexp_replace(mt_dotnet_type, '^EpiGrid\.\w+\.', 'EpiGrid.Events.')
                       where stream_id = 'cell:former' returning mt_dotnet_type)
            select count(*) from u where mt_dotnet_type like 'EpiGrid.Events.%, EpiGrid.Grains.Interfaces'
            """);
        renamed.ShouldBe(3);

        await using var query = store.QuerySession();
        (await query.Events.FetchStreamAsync("cell:former")).Select(e => e.Data).ShouldBe(events);
    }

    [Fact]
    public async Task A_write_that_lost_a_race_is_a_stream_conflict_and_the_rest_of_its_batch_commits()
    {
        await log.AppendAsync(new StreamWrite("cell:a", 0, CellHistory("330782-001-002")[..2], [], []));

        // Started twice, appended behind another writer, appended to a stream that does not exist: each a conflict.
        await Should.ThrowAsync<StreamConflictException>(() => log.AppendAsync(new StreamWrite("cell:a", 0, CellHistory("330782-001-002")[..1], [], [])));
        await Should.ThrowAsync<StreamConflictException>(() => log.AppendAsync(new StreamWrite("cell:a", 1, CellHistory("330782-001-002")[2..], [], [])));
        await Should.ThrowAsync<StreamConflictException>(() => log.AppendAsync(new StreamWrite("cell:none", 4, CellHistory("330782-001-002")[2..], [], [])));

        // Many writes in flight at once share transactions; the one behind fails alone.
        var writes = Enumerable.Range(0, 200).Select(i => log.AppendAsync(new StreamWrite($"cell:b{i}", 0, CellHistory($"330782-002-{i:000}"), [], []))).ToList();
        var late = log.AppendAsync(new StreamWrite("cell:a", 1, CellHistory("330782-001-002")[2..], [], []));
        var lost = await Should.ThrowAsync<Exception>(() => late);
        lost.ShouldBeOfType<StreamConflictException>(lost.ToString());
        await Task.WhenAll(writes);
        (await db.Scalar<long>("select count(*) from epigrid.mt_events where stream_id like 'cell:b%'")).ShouldBe(600);
        (await db.Scalar<long>("select count(*) from epigrid.mt_streams where id like 'cell:b%' and version = 3")).ShouldBe(200);
        (await Events("cell:a")).Select(r => r.Version).ShouldBe([1L, 2L], "nothing of the refused writes was kept");
        (await Stream("cell:a")).Single().Version.ShouldBe(2);
    }
}
