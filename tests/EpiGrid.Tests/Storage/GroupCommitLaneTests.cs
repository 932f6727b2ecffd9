using System.Diagnostics;
using EpiGrid.Platform;
using EpiGrid.Grains.Storage;
using EpiGrid.Tests.Audit;

namespace EpiGrid.Tests.Storage;

/// <summary>
/// Issue 18: a grid worker's single report must not wait while a source system uploads. Bulk writes (said by the writer,
/// or by the call being bulk work: <see cref="BulkWork"/>) take the group commit's bulk lane, with its own writer; an
/// interactive write is committed by the interactive writers at once, not after the bulk queue.
/// </summary>
public sealed class GroupCommitLaneTests
{
    const int BulkWrites = 400, EventsEach = 50; // 20,000 events: twenty transactions of the bulk lane's one writer

    static StreamWrite Write(string stream, int events, WriteLane lane = WriteLane.Interactive) =>
        new(stream, 0, Enumerable.Range(0, events).Select(n => ChainStore.Event(stream, n)).ToList(), [], [], lane);

    [Fact]
    public async Task A_single_report_is_committed_ahead_of_a_queue_of_writes_the_writer_names_bulk()
    {
        await using var store = await ChainStore.Create();
        var bulk = Enumerable.Range(0, BulkWrites).Select(i => store.Log.AppendAsync(Write($"bulk:{i}", EventsEach, WriteLane.Bulk))).ToList();

        await AheadOf(bulk, store.Log.AppendAsync(Write("cell:single", 1)));
    }

    [Fact]
    public async Task Writes_made_for_bulk_work_take_the_bulk_lane_without_naming_it()
    {
        await using var store = await ChainStore.Create();
        // An import's calls carry the mark (Orleans' request context) into every grain: here, the flow that appends.
        var bulk = await Task.Run(() =>
        {
            BulkWork.Mark();
            return Enumerable.Range(0, BulkWrites).Select(i => store.Log.AppendAsync(Write($"import:{i}", EventsEach))).ToList();
        });
        BulkWork.IsCurrent.ShouldBeFalse("the mark stays with the flow that made it");

        await AheadOf(bulk, store.Log.AppendAsync(Write("cell:single", 1)));
    }

    static async Task AheadOf(List<Task> bulk, Task single)
    {
        var clock = Stopwatch.StartNew();
        await single;
        var waiting = bulk.Count(t => !t.IsCompleted);
        // In one queue the single write was committed after every bulk write queued before it (waiting: 0).
        waiting.ShouldBeGreaterThan(BulkWrites / 4, $"the single write took {clock.ElapsedMilliseconds} ms and waited for the bulk queue");
        await Task.WhenAll(bulk);
    }
}
