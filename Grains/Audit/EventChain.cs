using System.Security.Cryptography;
using System.Text;
using Npgsql;

namespace EpiGrid.Grains.Audit;

/// <summary>
/// Tamper evidence for the event store. A trigger on <c>mt_events</c> chains every event to the previous event of
/// its stream: hash = sha256(prevHash ‖ stream \n version \n type \n data), kept in <c>event_chain</c>. Periodic
/// province digests fold every chained hash, in sequence order, into a rolling sha256 (<c>chain_digest</c>).
/// The write path is untouched: whatever appends to <c>mt_events</c> is chained in the same transaction.
/// The SQL below and <see cref="Hash"/> are the one definition of the format; verification recomputes it in .NET.
/// </summary>
public static class EventChain
{
    const string S = Storage.MartenSetup.Schema;
    public const string ChainTable = S + ".event_chain";
    public const string DigestTable = S + ".chain_digest";

    /// <summary>The hash of one event, given the hash of the previous event of its stream (empty for the first).</summary>
    public static byte[] Hash(ReadOnlySpan<byte> previous, string stream, long version, string type, string data)
    {
        var body = Encoding.UTF8.GetBytes($"{stream}\n{version}\n{type}\n{data}");
        var input = new byte[previous.Length + body.Length];
        previous.CopyTo(input);
        body.CopyTo(input.AsSpan(previous.Length));
        return SHA256.HashData(input);
    }

    /// <summary>Installs (or re-installs) the chain in one transaction; see <see cref="InstallSql"/>.</summary>
    public static async Task Install(NpgsqlConnection connection, CancellationToken cancellationToken = default)
    {
        if (connection.State != System.Data.ConnectionState.Open) await connection.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var command = new NpgsqlCommand(InstallSql, connection, transaction))
            await command.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Idempotent: tables, the chaining function and trigger, and chaining of events written before it existed.</summary>
    public const string InstallSql = $"""
        select pg_advisory_xact_lock(hashtext('epigrid.event_chain'));
        create table if not exists {ChainTable} (
            seq_id bigint primary key,
            stream_id varchar not null,
            version bigint not null,
            prev_hash bytea not null,
            hash bytea not null,
            chained_at timestamptz not null default clock_timestamp(),
            unique (stream_id, version));
        create table if not exists {DigestTable} (
            upto_seq bigint primary key,
            from_seq bigint not null,
            events bigint not null,
            prev_digest bytea not null,
            digest bytea not null,
            taken_at timestamptz not null default clock_timestamp());
        create or replace function {S}.chain_event(p_seq bigint, p_stream varchar, p_version bigint, p_type varchar, p_data jsonb)
        returns void language plpgsql as $fn$
        declare prev bytea;
        begin
            select hash into prev from {ChainTable} where stream_id = p_stream and version = p_version - 1;
            prev := coalesce(prev, '\x'::bytea);
            insert into {ChainTable} (seq_id, stream_id, version, prev_hash, hash)
            values (p_seq, p_stream, p_version, prev,
                    sha256(prev || convert_to(p_stream || E'\n' || p_version::text || E'\n' || p_type || E'\n' || p_data::text, 'UTF8')));
        end $fn$;
        create or replace function {S}.chain_inserted_events() returns trigger language plpgsql as $fn$
        declare
            r record;
            prev bytea;
            last_stream varchar;
            last_version bigint;
            last_hash bytea;
            seqs bigint[] := array[]::bigint[];
            streams varchar[] := array[]::varchar[];
            versions bigint[] := array[]::bigint[];
            prevs bytea[] := array[]::bytea[];
            hashes bytea[] := array[]::bytea[];
        begin
            -- A stream's events of one statement are consecutive: the first takes its predecessor's hash from the
            -- chain, the next ones the hash just computed; then one insert for all of them.
            for r in select i.seq_id, i.stream_id, i.version, i.type, i.data, c.hash as before
                     from inserted i left join {ChainTable} c on c.stream_id = i.stream_id and c.version = i.version - 1
                     order by i.stream_id, i.version
            loop
                if r.stream_id = last_stream and r.version = last_version + 1 then prev := last_hash;
                else prev := coalesce(r.before, '\x'::bytea);
                end if;
                last_hash := sha256(prev || convert_to(r.stream_id || E'\n' || r.version::text || E'\n' || r.type || E'\n' || r.data::text, 'UTF8'));
                last_stream := r.stream_id;
                last_version := r.version;
                seqs := seqs || r.seq_id;
                streams := streams || r.stream_id;
                versions := versions || r.version;
                prevs := prevs || prev;
                hashes := hashes || last_hash;
            end loop;
            insert into {ChainTable} (seq_id, stream_id, version, prev_hash, hash)
            select * from unnest(seqs, streams, versions, prevs, hashes);
            return null;
        end $fn$;
        lock table {S}.mt_events in share row exclusive mode;
        -- Once per statement, not per row: the group commit inserts a transaction's events in one statement.
        drop trigger if exists event_chain on {S}.mt_events;
        create trigger event_chain after insert on {S}.mt_events
            referencing new table as inserted for each statement execute function {S}.chain_inserted_events();
        drop function if exists {S}.chain_inserted_event();
        do $backfill$
        declare e record;
        begin
            for e in select m.seq_id, m.stream_id, m.version, m.type, m.data from {S}.mt_events m
                     where not exists (select 1 from {ChainTable} c where c.seq_id = m.seq_id)
                     order by m.stream_id, m.version
            loop
                perform {S}.chain_event(e.seq_id, e.stream_id, e.version, e.type, e.data);
            end loop;
        end $backfill$;
        """;

    /// <summary>
    /// Folds the chained events after the last digest into a new one: sha256(previous digest ‖ hash ‖ hash ...), in
    /// sequence order. Only events chained more than @lag ago are taken, so a transaction still in flight cannot
    /// commit a lower sequence number into a range already digested.
    /// </summary>
    public const string TakeDigestSql = $"""
        select pg_advisory_xact_lock(hashtext('epigrid.chain_digest'));
        with last as (
            select coalesce(max(upto_seq), 0) as upto,
                   coalesce((select digest from {DigestTable} order by upto_seq desc limit 1), '\x'::bytea) as digest
            from {DigestTable}),
        upto as (
            select max(c.seq_id) as seq from {ChainTable} c, last
            where c.seq_id > last.upto and c.chained_at < clock_timestamp() - @lag),
        range as (
            select c.hash, c.seq_id from {ChainTable} c, last, upto
            where c.seq_id > last.upto and c.seq_id <= upto.seq)
        insert into {DigestTable} (upto_seq, from_seq, events, prev_digest, digest)
        select upto.seq, last.upto, (select count(*) from range), last.digest,
               sha256(last.digest || (select string_agg(hash, ''::bytea order by seq_id) from range))
        from last, upto where upto.seq is not null
        returning upto_seq;
        """;
}
