using System.Net;
using System.Text.Json.Nodes;
using EpiGrid.Tests.Infrastructure;

namespace EpiGrid.Tests.Audit;

[Collection(AuditApp.Collection)]
public sealed class TamperEvidenceTests(AuditApp app) : IClassFixture<AuditApp>
{
    [Fact]
    public async Task Verify_finds_the_stream_and_position_of_one_byte_changed_in_PostgreSQL()
    {
        const string cell = "330106-001-001";
        await app.RegisterCell(cell);
        for (var i = 1; i <= 3; i++) await app.Report(cell, $"tamper-case-{i}");
        await app.TakeDigest();

        // Other tests of this fixture tamper too: only this stream's chain is asserted.
        var before = await app.Get("/api/v1/audit/verify");
        before["checkedEvents"]!.GetValue<long>().ShouldBeGreaterThanOrEqualTo(4);
        BreaksOf(before, "cell:" + cell).ShouldBeEmpty();

        // Behind the platform's back: one character of the second case's id, in the stored JSON.
        var changed = await app.Database.Scalar<int>("""
            with target as (select seq_id from epigrid.mt_events where stream_id = 'cell:330106-001-001' and version = 3)
            update epigrid.mt_events e set data = replace(e.data::text, 'tamper-case-2', 'tamper-case-X')::jsonb
            from target where e.seq_id = target.seq_id returning 1
            """);
        changed.ShouldBe(1);

        var after = await app.Get("/api/v1/audit/verify");
        after["ok"]!.GetValue<bool>().ShouldBeFalse();
        var first = BreaksOf(after, "cell:" + cell).ShouldHaveSingleItem();
        first["version"]!.GetValue<long>().ShouldBe(3);
        first["reason"]!.GetValue<string>().ShouldStartWith("altered");
    }

    [Fact]
    public async Task A_hash_rewritten_to_match_altered_data_is_caught_by_the_province_digest()
    {
        const string cell = "330108-001-001";
        await app.RegisterCell(cell);
        await app.Report(cell, "rewritten-case-1");
        await app.TakeDigest();

        // A careful forger changes the event and rewrites its own hash; it is the last of its stream, so no link breaks.
        await app.Database.Scalar<int>("""
            with target as (select seq_id, stream_id, version, type, replace(data::text, 'rewritten-case-1', 'rewritten-case-9')::jsonb as data
                            from epigrid.mt_events where stream_id = 'cell:330108-001-001' and version = 2),
                 moved as (update epigrid.mt_events e set data = target.data from target where e.seq_id = target.seq_id returning 1)
            update epigrid.event_chain c set hash = sha256(c.prev_hash || convert_to(t.stream_id || E'\n' || t.version::text || E'\n' || t.type || E'\n' || t.data::text, 'UTF8'))
            from target t where c.seq_id = t.seq_id returning 1
            """);

        var after = await app.Get("/api/v1/audit/verify");
        after["ok"]!.GetValue<bool>().ShouldBeFalse();
        after["breaks"]!.AsArray().Select(b => b!["stream"]!.GetValue<string>()).ShouldContain("province-digest");
    }

    [Fact]
    public async Task An_untouched_history_verifies()
    {
        var fresh = new AuditApp();
        await fresh.InitializeAsync();
        await fresh.RegisterCell("330110-001-001");
        await fresh.Report("330110-001-001", "clean-case-1");
        await fresh.TakeDigest();
        var verified = await fresh.Get("/api/v1/audit/verify");
        verified["ok"]!.GetValue<bool>().ShouldBeTrue(verified.ToJsonString());
        verified["checkedDigests"]!.GetValue<int>().ShouldBe(1);
        await fresh.DisposeAsync();
    }

    static List<JsonObject> BreaksOf(JsonObject report, string stream) =>
        report["breaks"]!.AsArray().Select(b => b!.AsObject()).Where(b => b["stream"]!.GetValue<string>() == stream).ToList();

    [Fact]
    public async Task Grid_workers_and_ingest_may_not_verify()
    {
        using var worker = app.As("grid-worker", cells: "330106-001-001");
        (await worker.GetAsync("/api/v1/audit/verify")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        using var ingest = app.As("ingest");
        (await ingest.GetAsync("/api/v1/audit/verify")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }
}
