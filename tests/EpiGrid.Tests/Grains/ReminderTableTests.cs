using EpiGrid.Grains.Storage;
using EpiGrid.Tests.Infrastructure;
using Microsoft.Extensions.Options;
using Npgsql;
using Orleans.Configuration;
using Orleans.Runtime;

namespace EpiGrid.Tests.Grains;

/// <summary>The reminder table on a real PostgreSQL: Orleans' contract of rows, ring ranges and ETags.</summary>
public sealed class ReminderTableTests : IAsyncLifetime
{
    TestDatabase database = null!;
    NpgsqlDataSource data = null!;

    public async Task InitializeAsync()
    {
        database = await TestDatabase.Create();
        data = NpgsqlDataSource.Create(database.ConnectionString);
    }

    public async Task DisposeAsync()
    {
        await data.DisposeAsync();
        await database.DisposeAsync();
    }

    PostgresReminderTable Table(string serviceId) => new(data, Options.Create(new ClusterOptions { ServiceId = serviceId, ClusterId = "test" }));

    static ReminderEntry Entry(string key, string name, int minutes = 1) => new()
    {
        GrainId = GrainId.Create("quarantinewatch", key),
        ReminderName = name,
        StartAt = new DateTime(2026, 12, 1, 8, 0, 0, DateTimeKind.Utc),
        Period = TimeSpan.FromMinutes(minutes),
    };

    [Fact]
    public async Task Rows_are_kept_read_back_and_updated_with_a_new_etag()
    {
        var table = Table("epigrid");
        await table.StartAsync();
        await table.StartAsync(); // a second silo installing the same table changes nothing

        var first = await table.UpsertRow(Entry("330108", "deadlines"));
        var read = (await table.ReadRow(GrainId.Create("quarantinewatch", "330108"), "deadlines"))!;
        read.ETag.ShouldBe(first);
        read.Period.ShouldBe(TimeSpan.FromMinutes(1));
        read.StartAt.ShouldBe(new DateTime(2026, 12, 1, 8, 0, 0, DateTimeKind.Utc));
        read.StartAt.Kind.ShouldBe(DateTimeKind.Utc);

        var second = await table.UpsertRow(Entry("330108", "deadlines", minutes: 5));
        second.ShouldNotBe(first);
        (await table.ReadRow(GrainId.Create("quarantinewatch", "330108"), "deadlines"))!.Period.ShouldBe(TimeSpan.FromMinutes(5));
        await table.UpsertRow(Entry("330108", "other"));
        (await table.ReadRows(GrainId.Create("quarantinewatch", "330108"))).Reminders.Select(r => r.ReminderName).Order().ShouldBe(["deadlines", "other"]);
        (await table.ReadRow(GrainId.Create("quarantinewatch", "330109"), "deadlines")).ShouldBeNull();

        (await table.RemoveRow(read.GrainId, "deadlines", first!)).ShouldBeFalse("a stale etag removes nothing");
        (await table.RemoveRow(read.GrainId, "deadlines", second!)).ShouldBeTrue();
        (await table.ReadRow(read.GrainId, "deadlines")).ShouldBeNull();
    }

    [Fact]
    public async Task A_ring_range_returns_exactly_the_grains_whose_hash_falls_in_it_wrapping_around_zero()
    {
        var table = Table("ring");
        await table.StartAsync();
        var entries = Enumerable.Range(0, 200).Select(i => Entry($"c{i}", "deadlines")).ToList();
        foreach (var e in entries) await table.UpsertRow(e);
        static bool InRange(uint hash, uint begin, uint end) => begin < end ? hash > begin && hash <= end : hash > begin || hash <= end;

        foreach (var (begin, end) in new (uint, uint)[] { (0, uint.MaxValue / 3), (uint.MaxValue / 3, uint.MaxValue), (uint.MaxValue / 2, uint.MaxValue / 4), (7, 7) })
        {
            var expected = entries.Where(e => InRange(e.GrainId.GetUniformHashCode(), begin, end)).Select(e => e.GrainId.ToString()).Order().ToList();
            var actual = (await table.ReadRows(begin, end)).Reminders.Select(r => r.GrainId.ToString()).Order().ToList();
            actual.ShouldBe(expected, $"range ({begin}, {end}]");
        }
        (await table.ReadRows(7, 7)).Reminders.Count.ShouldBe(200, "begin == end is the whole ring");
    }

    [Fact]
    public async Task Services_sharing_a_database_do_not_see_each_others_reminders()
    {
        var (a, b) = (Table("one"), Table("two"));
        await a.StartAsync();
        await a.UpsertRow(Entry("330108", "deadlines"));
        (await b.ReadRows(GrainId.Create("quarantinewatch", "330108"))).Reminders.ShouldBeEmpty();
        await b.TestOnlyClearTable();
        (await a.ReadRows(GrainId.Create("quarantinewatch", "330108"))).Reminders.Count.ShouldBe(1);
    }
}
