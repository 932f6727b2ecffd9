using EpiGrid.Grains.Storage;
using Npgsql;

namespace EpiGrid.Tests.Audit;

/// <summary>
/// Sequence numbers are drawn at insert and become visible at commit: a transaction that inserted first and commits
/// last must not read as a broken chain, and tampering must still be found.
/// </summary>
public sealed class ChainCommitOrderTests
{
    [Fact]
    public async Task An_event_committed_after_a_later_one_and_after_a_digest_began_still_verifies_and_tampering_is_found()
    {
        await using var chain = await ChainStore.Create();
        var installer = chain.Installer();
        await installer.StartAsync(CancellationToken.None);
        await chain.Log.AppendAsync(new StreamWrite("cell:before", 0, [ChainStore.Event("before", 1)], [], []));

        // Transaction A inserts first (and draws the lower sequence number) but stays open.
        await using var slow = new NpgsqlConnection(chain.Db.ConnectionString);
        await slow.OpenAsync();
        var a = await slow.BeginTransactionAsync();
        var aSeq = await Scalar(slow, """
            insert into epigrid.mt_streams (id, type, version, timestamp, tenant_id) values ('cell:slow', null, 1, now(), '*DEFAULT*');
            insert into epigrid.mt_events (seq_id, id, stream_id, version, data, type, tenant_id, timestamp, mt_dotnet_type, is_archived)
            values (nextval('epigrid.mt_events_sequence'), gen_random_uuid(), 'cell:slow', 1, '{"cellId":"slow","name":"late","households":1}',
                    'cell_details_changed', '*DEFAULT*', now(), null, false)
            returning seq_id
            """);
        // Transaction B inserts after it and commits at once.
        await chain.Log.AppendAsync(new StreamWrite("cell:fast", 0, [ChainStore.Event("fast", 1)], [], []));
        var bSeq = await chain.Db.Scalar<long>("select seq_id from epigrid.mt_events where stream_id = 'cell:fast'");
        bSeq.ShouldBeGreaterThan(aSeq);

        // A digest is taken while A is open; A commits a moment later.
        var digests = chain.Digests();
        var digest = digests.TakeDigest();
        await Task.Delay(1_000);
        await a.CommitAsync();
        var first = await digest;
        await digests.TakeDigest();

        var verified = await chain.Verify();
        verified.Breaks.ShouldBeEmpty($"the first digest reached {first}; A's event is {aSeq}, B's {bSeq}");
        verified.Ok.ShouldBeTrue();
        verified.CheckedDigests.ShouldBeGreaterThanOrEqualTo(1);
        (await chain.Db.Scalar<long>("select max(upto_seq) from epigrid.chain_digest")).ShouldBeGreaterThanOrEqualTo(bSeq);

        // Still tamper-evident: A's event rewritten with a matching hash is caught by the digest that covers it.
        await chain.Db.Scalar<int>("""
            with target as (select seq_id, stream_id, version, type, replace(data::text, 'late', 'forged')::jsonb as data
                            from epigrid.mt_events where stream_id = 'cell:slow'),
                 moved as (update epigrid.mt_events e set data = target.data from target where e.seq_id = target.seq_id returning 1)
            update epigrid.event_chain c set hash = sha256(c.prev_hash || convert_to(t.stream_id || E'\n' || t.version::text || E'\n' || t.type || E'\n' || t.data::text, 'UTF8'))
            from target t where c.seq_id = t.seq_id returning 1
            """);
        var tampered = await chain.Verify();
        tampered.Ok.ShouldBeFalse();
        tampered.Breaks.Select(b => b.Stream).ShouldContain("province-digest");
        await installer.StopAsync(CancellationToken.None);
    }

    static async Task<long> Scalar(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
