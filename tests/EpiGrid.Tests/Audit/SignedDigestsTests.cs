using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using EpiGrid.Client.Audit;

namespace EpiGrid.Tests.Audit;

/// <summary>
/// Province digests signed with a key only the silos hold; an auditor keeps the export and later checks it, with the
/// public key kept apart, against the store (issue 14, "Integrity and the cluster").
/// </summary>
[Collection(AuditApp.Collection)]
public sealed class SignedDigestsTests(SignedDigestsApp app) : IClassFixture<SignedDigestsApp>
{
    byte[] TrustedKey => DigestFileSignatures.ReadPublicKey(app.PublicKeyPem);

    async Task<byte[]> ExportDigests()
    {
        using var auditor = app.Auditor();
        var response = await auditor.GetAsync("/api/v1/audit/digests");
        var body = await response.Content.ReadAsByteArrayAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.OK, Encoding.UTF8.GetString(body));
        return body;
    }

    [Fact]
    public async Task Digests_are_signed_with_the_configured_key_and_an_untouched_store_agrees_with_the_export()
    {
        await app.RegisterCell("330106-002-001");
        await app.Report("330106-002-001", "signed-case-1");
        var upto = await app.TakeDigest();
        upto.ShouldNotBeNull();

        var file = await ExportDigests();
        var last = JsonNode.Parse(file)!["digests"]!.AsArray()[^1]!;
        last["uptoSeq"]!.GetValue<long>().ShouldBe(upto.Value);
        last["keyId"]!.GetValue<string>().ShouldBe(DigestFileSignatures.KeyIdOf(TrustedKey));
        using (var ecdsa = ECDsa.Create())
        {
            ecdsa.ImportFromPem(app.PublicKeyPem);
            ecdsa.VerifyData(Encoding.UTF8.GetBytes(last["statement"]!.GetValue<string>()),
                Convert.FromBase64String(last["signature"]!.GetValue<string>()), HashAlgorithmName.SHA256).ShouldBeTrue();
        }

        using var auditor = app.Auditor();
        var report = await DigestFileVerifier.Verify(auditor, file, TrustedKey);
        report.FileProblems.ShouldBeEmpty();
        report.Refused.ShouldBeNull();
        report.StoreBreaks.Where(b => b.Stream is "province-digest" or "cell:330106-002-001").ShouldBeEmpty();
    }

    [Fact]
    public async Task A_digest_file_altered_by_one_byte_is_refused_naming_the_digest()
    {
        await app.RegisterCell("330106-002-002");
        await app.Report("330106-002-002", "altered-file-case-1");
        var upto = (await app.TakeDigest()).ShouldNotBeNull();
        var file = await ExportDigests();

        // One hex digit of the digest inside the signed statement of the digest just taken.
        var text = Encoding.UTF8.GetString(file);
        var statementAt = text.IndexOf($"upto_seq={upto}\\n", StringComparison.Ordinal);
        statementAt.ShouldBeGreaterThan(0);
        var digitAt = text.IndexOf("\\ndigest=", statementAt, StringComparison.Ordinal) + "\\ndigest=".Length;
        var altered = (byte[])file.Clone();
        altered[digitAt] = (byte)(altered[digitAt] == (byte)'0' ? '1' : '0');

        using var auditor = app.Auditor();
        var report = await DigestFileVerifier.Verify(auditor, altered, TrustedKey);
        report.Ok.ShouldBeFalse();
        var problem = report.FileProblems.ShouldHaveSingleItem();
        problem.ShouldContain($"up to sequence {upto}");
        problem.ShouldContain("signature does not match");

        // The same file, signed by another key: refused too.
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var wrongKey = await DigestFileVerifier.Verify(auditor, file, other.ExportSubjectPublicKeyInfo());
        wrongKey.FileProblems.ShouldNotBeEmpty();
        wrongKey.FileProblems[0].ShouldContain("not with the key given");
    }

    [Fact]
    public async Task A_store_rewritten_after_the_export_no_longer_agrees_with_the_file_naming_the_sequence()
    {
        const string cell = "330106-002-003";
        await app.RegisterCell(cell);
        await app.Report(cell, "kept-case-1");
        var upto = (await app.TakeDigest()).ShouldNotBeNull();
        var file = await ExportDigests();
        var seq = await app.Database.Scalar<long>($"select seq_id from epigrid.mt_events where stream_id = 'cell:{cell}' and version = 2");

        // As the superuser, after the export: the event changed, its chain hash rewritten to match, the stored
        // digests dropped (what a forger holding the database would do). The store's own verification sees nothing.
        await app.Database.Scalar<int>($"""
            with target as (select seq_id, stream_id, version, type, replace(data::text, 'kept-case-1', 'kept-case-9')::jsonb as data
                            from epigrid.mt_events where seq_id = {seq}),
                 moved as (update epigrid.mt_events e set data = target.data from target where e.seq_id = target.seq_id returning 1)
            update epigrid.event_chain c set hash = sha256(c.prev_hash || convert_to(t.stream_id || E'\n' || t.version::text || E'\n' || t.type || E'\n' || t.data::text, 'UTF8'))
            from target t where c.seq_id = t.seq_id returning 1
            """);
        await app.Database.Scalar<int>("with gone as (delete from epigrid.chain_digest returning 1) select count(*)::int from gone");
        var own = await app.Get("/api/v1/audit/verify");
        own["breaks"]!.AsArray().Where(b => b!["stream"]!.GetValue<string>() is "province-digest" || b["stream"]!.GetValue<string>() == "cell:" + cell).ShouldBeEmpty();

        using var auditor = app.Auditor();
        var report = await DigestFileVerifier.Verify(auditor, file, TrustedKey);
        report.FileProblems.ShouldBeEmpty();
        report.Ok.ShouldBeFalse();
        var broken = report.StoreBreaks.Where(b => b.Stream == "province-digest").ShouldHaveSingleItem();
        broken.Version.ShouldBeGreaterThanOrEqualTo(seq);
        broken.Version.ShouldBeLessThanOrEqualTo(upto);
        broken.Reason.ShouldContain($"..{broken.Version}");
    }

    [Fact]
    public async Task The_database_never_holds_the_private_key()
    {
        await app.RegisterCell("330106-002-004");
        await app.Report("330106-002-004", "key-case-1");
        (await app.TakeDigest()).ShouldNotBeNull();
        (await app.Database.Scalar<long>("select count(*) from epigrid.chain_digest where signature is not null and public_key is not null"))
            .ShouldBeGreaterThan(0, "digests are signed, with their public key beside them");

        // Every row of every table in the database, as text (bytea as hex): neither the PKCS#8 key nor its private scalar.
        var tables = await app.Database.Scalar<string>(
            "select string_agg(format('%I.%I', table_schema, table_name), ',') from information_schema.tables where table_type = 'BASE TABLE' and table_schema not in ('pg_catalog', 'information_schema')");
        foreach (var table in tables.Split(','))
        {
            var found = await app.Database.Scalar<long>(
                $"select count(*) from {table} t where position('{app.PrivateKeyBase64}' in t::text) > 0 or position('{app.PrivateScalarHex}' in t::text) > 0");
            found.ShouldBe(0L, $"{table} holds the private key");
        }
        tables.ShouldContain("chain_digest");
    }

    [Fact]
    public async Task Only_auditors_and_admins_may_export_or_check_digests_and_a_bad_check_names_the_field()
    {
        using var official = app.As("province-official");
        (await official.GetAsync("/api/v1/audit/digests")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        using var auditor = app.Auditor();
        var bad = await auditor.PostAsJsonAsync("/api/v1/audit/verify/digests",
            new { digests = new[] { new { uptoSeq = 5L, fromSeq = 0L, events = 1L, prevDigest = "", digest = "zz" } } });
        bad.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await bad.Content.ReadAsStringAsync()).ShouldContain("digests[0].digest");
    }
}
