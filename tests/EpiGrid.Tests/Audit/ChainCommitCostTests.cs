using Npgsql;

namespace EpiGrid.Tests.Audit;

/// <summary>
/// What the chain adds to a commit must not grow with the history. The trigger looks up, for each stream a statement
/// appends to, the hash of the stream's event before it; for a statement of many events (the group commit's, an import's)
/// the planner chose to hash the whole chain table for that lookup instead of probing its index (the import bench: a
/// sequential scan of 85,000 chain rows, 64 ms, in each commit of 1,000 events; on a store of millions of events, seconds).
/// </summary>
public sealed class ChainCommitCostTests
{
    const int History = 60_000, Statement = 1_000;

    [Fact]
    public async Task A_commit_of_many_events_finds_each_predecessor_by_the_index_not_by_scanning_the_chain()
    {
        await using var chain = await ChainStore.Create();
        await chain.Installer().StartAsync(CancellationToken.None);
        await chain.Db.Scalar<int>(Insert(History, "old") + "analyze epigrid.event_chain; analyze epigrid.mt_events; select 1");
        (await chain.Db.Scalar<long>("select count(*) from epigrid.event_chain")).ShouldBe(History);

        // The plans of the statements the trigger runs, as PostgreSQL's auto_explain prints them, sent to this client.
        var plans = new List<string>();
        await using var connection = await Explaining(chain, plans);
        // Appending to streams whose events are chained already: each stream's first event of the statement looks its predecessor up.
        await using (var commit = new NpgsqlCommand(Append(Statement, "old", version: 3), connection)) await commit.ExecuteNonQueryAsync();

        var lookups = Lookups(plans);
        lookups.Count.ShouldBe(Statement, "one lookup for each stream's first event of the statement, its plan printed");
        lookups.ShouldAllBe(p => !p.Contains("Seq Scan on event_chain"), lookups[0]);
        lookups.ShouldAllBe(p => p.Contains("Index Scan using event_chain_stream_id_version_key"), lookups[0]);
        (await chain.Verify()).Ok.ShouldBeTrue();
    }

    [Fact]
    public async Task A_commit_that_starts_its_streams_looks_up_no_predecessor()
    {
        // An imported arrival starts the person's stream with two events and the alert's with one: none of them has a
        // predecessor to look up, and a stream's second event of a statement takes the hash just computed.
        await using var chain = await ChainStore.Create();
        await chain.Installer().StartAsync(CancellationToken.None);
        await chain.Db.Scalar<int>(Insert(History / 10, "old") + "select 1");
        var plans = new List<string>();
        await using var connection = await Explaining(chain, plans);

        await using (var commit = new NpgsqlCommand(Insert(Statement, "new"), connection)) await commit.ExecuteNonQueryAsync();

        plans.ShouldContain(p => p.Contains("from inserted i", StringComparison.Ordinal), "the trigger ran and its plans were printed");
        Lookups(plans).ShouldBeEmpty();
        (await chain.Db.Scalar<long>("select count(*) from epigrid.event_chain where stream_id like 'new:%'")).ShouldBe(Statement);
        (await chain.Verify()).Ok.ShouldBeTrue();
    }

    /// <summary>
    /// A connection to the chain's store on which PostgreSQL's auto_explain prints the plan of every statement, the
    /// trigger's included, to this client: each one is added to <paramref name="plans"/>.
    /// </summary>
    static async Task<NpgsqlConnection> Explaining(ChainStore chain, List<string> plans)
    {
        var connection = new NpgsqlConnection(chain.Db.ConnectionString);
        await connection.OpenAsync();
        connection.Notice += (_, e) => { lock (plans) plans.Add(e.Notice.MessageText); };
        await using var setup = new NpgsqlCommand("""
            load 'auto_explain';
            set auto_explain.log_min_duration = 0;
            set auto_explain.log_nested_statements = on;
            set client_min_messages = log;
            """, connection);
        await setup.ExecuteNonQueryAsync();
        return connection;
    }

    /// <summary>The printed plans that read the chain for a predecessor's hash (the trigger's lookup, aliased c).</summary>
    static List<string> Lookups(List<string> plans) =>
        plans.Where(p => p.Contains(" on event_chain c", StringComparison.Ordinal)).ToList();

    /// <summary>One statement of <paramref name="count"/> events, one a stream, each the <paramref name="version"/>th of its stream.</summary>
    static string Append(int count, string prefix, int version) => $"""
        insert into epigrid.mt_events (seq_id, id, stream_id, version, data, type, tenant_id, timestamp, mt_dotnet_type, is_archived)
        select nextval('epigrid.mt_events_sequence'), gen_random_uuid(), '{prefix}:' || s, {version},
               jsonb_build_object('cellId', '{prefix}-' || s, 'name', 'event ' || {version}, 'households', {version}),
               'cell_details_changed', '*DEFAULT*', now(), null, false
        from generate_series(1, {count}) s order by s;
        """;

    /// <summary><paramref name="count"/>/2 streams started, then their first and second events in one statement.</summary>
    static string Insert(int count, string prefix) => $"""
        insert into epigrid.mt_streams (id, type, version, timestamp, tenant_id)
        select '{prefix}:' || s, null, 2, now(), '*DEFAULT*' from generate_series(1, {count / 2}) s;
        insert into epigrid.mt_events (seq_id, id, stream_id, version, data, type, tenant_id, timestamp, mt_dotnet_type, is_archived)
        select nextval('epigrid.mt_events_sequence'), gen_random_uuid(), '{prefix}:' || s, v,
               jsonb_build_object('cellId', '{prefix}-' || s, 'name', 'event ' || v, 'households', v),
               'cell_details_changed', '*DEFAULT*', now(), null, false
        from generate_series(1, {count / 2}) s, generate_series(1, 2) v order by s, v;

        """;
}
