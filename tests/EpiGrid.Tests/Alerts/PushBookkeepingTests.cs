using EpiGrid.Alerts;
using EpiGrid.Platform;
using EpiGrid.Grains.Push;

namespace EpiGrid.Tests.Alerts;

/// <summary>The push hub's bookkeeping on its own: the per-group links clients check for gaps, and the bounded buffer.</summary>
public sealed class PushBookkeepingTests
{
    static AlertView Alert(long seq, params string[] audience) => new(
        new AlertDraft($"a-{seq}", "case-confirmed", Severities.Urgent, null, "330782", "m", DateTimeOffset.UnixEpoch, null,
            new Dictionary<string, string>(), audience, "v"), seq, AlertStatus.Open, null, null, null, null);

    [Fact]
    public void Each_alert_is_linked_per_group_to_the_one_pushed_to_that_group_before_it()
    {
        var chain = new AlertChain();
        chain.Link([Alert(1, "cell:a", "officials"), Alert(2, "cell:b", "officials")])
            .ShouldBe([new AlertLink(2, "officials", 1)], customMessage: "the first alert a group gets has no link: the hub cannot know what came before");
        chain.Link([Alert(5, "cell:a", "officials")]).ShouldBe([new AlertLink(5, "cell:a", 1), new AlertLink(5, "officials", 2)], ignoreOrder: true);
    }

    [Fact]
    public void An_alert_arriving_after_a_later_one_leaves_it_and_the_groups_next_alert_unlinked_so_clients_catch_up()
    {
        var chain = new AlertChain();
        chain.Link([Alert(1, "cell:a")]);
        chain.Link([Alert(3, "cell:a")]).ShouldBe([new AlertLink(3, "cell:a", 1)]);
        chain.Link([Alert(2, "cell:a")]).ShouldBeEmpty("a client that missed 2 cannot learn it from 3's link");
        chain.Link([Alert(4, "cell:a")]).ShouldBeEmpty("nor from the next one's, which would point at 3");
        chain.Link([Alert(6, "cell:a")]).ShouldBe([new AlertLink(6, "cell:a", 4)]);
    }

    [Fact]
    public void The_buffer_keeps_at_most_its_bound_of_alerts_counting_what_it_gives_up_and_a_batch_put_back_never_doubles_one()
    {
        var buffer = new PushBuffer();
        var many = Enumerable.Range(1, PushBuffer.MaxAlerts + 5).Select(i => Alert(i, "cell:a")).ToList();
        buffer.Add(PushBatch.Empty with { Alerts = many }, 0).ShouldBe(5);
        var (batch, _) = buffer.Take();
        batch.Alerts.Count.ShouldBe(PushBuffer.MaxAlerts);
        batch.Alerts[0].Seq.ShouldBe(6, "the oldest go first; clients catch them up");
        buffer.IsEmpty.ShouldBeTrue();

        buffer.Add(PushBatch.Empty with { Alerts = [Alert(20_000, "cell:a")] }, 0);
        buffer.PutBack(batch, 0).ShouldBe(1, "put back under the newer one, still within the bound");
        var (again, _) = buffer.Take();
        again.Alerts.Select(a => a.Seq).ShouldBeUnique();
        again.Alerts.Select(a => a.Seq).ShouldBeInOrder(SortDirection.Ascending);
        again.Alerts[^1].Seq.ShouldBe(20_000);
    }
}
