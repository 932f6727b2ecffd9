namespace EpiGrid.Grains.Audit;

/// <summary>The chain's schema objects (see <see cref="EventChain"/>). Idempotent; run by the silo at start.</summary>
public static class EventChainSql
{
    const string S = Storage.MartenSetup.Schema;
    const string Chain = EventChain.ChainTable;
    const string State = EventChain.StateTable;

    // The functions that write the chain run with their owner's rights (security definer): the role the platform
    // writes with needs no right to insert, change or delete chain rows itself. search_path is pinned, as it must be
    // for any security definer function.
    const string Definer = "security definer set search_path = pg_catalog, pg_temp";

    /// <summary>
    /// Tables, functions and triggers. No table lock except the first time the triggers are created (a trigger
    /// already in place is left alone), and no back-fill (<see cref="EventChain.Backfill"/> does that in batches).
    /// </summary>
    public const string Install = $"""
        select pg_advisory_xact_lock(hashtext('epigrid.event_chain'));
        create table if not exists {Chain} (
            seq_id bigint primary key,
            stream_id varchar not null,
            version bigint not null,
            prev_hash bytea not null,
            hash bytea not null,
            chained_at timestamptz not null default clock_timestamp(),
            unique (stream_id, version));
        create table if not exists {EventChain.DigestTable} (
            upto_seq bigint primary key,
            from_seq bigint not null,
            events bigint not null,
            prev_digest bytea not null,
            digest bytea not null,
            taken_at timestamptz not null default clock_timestamp());
        -- A digest's signature (ChainDigests, DigestSigner): the key id, the public key and the ECDSA signature over its
        -- canonical statement. Null when the silo had no signing key. The private key is never stored.
        alter table {EventChain.DigestTable} add column if not exists key_id text,
            add column if not exists public_key bytea, add column if not exists signature bytea;
        create table if not exists {State} (only_row boolean primary key default true check (only_row), backfilled_at timestamptz);
        insert into {State} (only_row) values (true) on conflict do nothing;

        drop function if exists {S}.chain_event(bigint, varchar, bigint, varchar, jsonb);
        -- One event, given its predecessor's hash. A row already chained (by a concurrent back-fill or writer) is left
        -- as it is: the hash is a function of the event and its predecessor, so both computed the same.
        create or replace function {S}.chain_event(p_seq bigint, p_stream varchar, p_version bigint, p_type varchar, p_data jsonb, p_prev bytea)
        returns bytea language plpgsql {Definer} as $fn$
        declare h bytea := sha256(p_prev || convert_to(p_stream || E'\n' || p_version::text || E'\n' || p_type || E'\n' || p_data::text, 'UTF8'));
        begin
            insert into {Chain} (seq_id, stream_id, version, prev_hash, hash) values (p_seq, p_stream, p_version, p_prev, h)
            on conflict do nothing;
            return h;
        end $fn$;

        -- A stream's events before p_below that are not chained yet (history from before the chain), in version order;
        -- returns the hash of the event just before p_below.
        create or replace function {S}.chain_backlog(p_stream varchar, p_below bigint)
        returns bytea language plpgsql {Definer} as $fn$
        declare e record; prev bytea := '\x'::bytea;
        begin
            for e in select m.seq_id, m.version, m.type, m.data, c.hash from {S}.mt_events m
                     left join {Chain} c on c.seq_id = m.seq_id
                     where m.stream_id = p_stream and m.version < p_below order by m.version
            loop
                prev := coalesce(e.hash, {S}.chain_event(e.seq_id, p_stream, e.version, e.type, e.data, prev));
            end loop;
            return prev;
        end $fn$;

        create or replace function {S}.chain_inserted_events() returns trigger language plpgsql {Definer} as $fn$
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
            -- chain (or chains the stream's unchained history first), the next ones the hash just computed, and a
            -- stream's first event has none. Only a stream's first event of the statement that is not its first at all
            -- looks its predecessor up: for an imported arrival one of its four events (the cell's traveller; the person's
            -- two events and the alert start their streams). Measured, that saved nothing to speak of (an index probe is
            -- cheap; the hash and the chain's row are the trigger's cost: BENCHMARKS, "The chain's trigger, measured
            -- alone"). By the index, one probe: written as a join, the planner hashed the whole chain table for a
            -- statement of many events, a cost that grew with the history (ChainCommitCostTests).
            for r in select i.seq_id, i.stream_id, i.version, i.type, i.data
                     from inserted i
                     order by i.stream_id, i.version
            loop
                if r.stream_id = last_stream and r.version = last_version + 1 then prev := last_hash;
                elsif r.version = 1 then prev := '\x'::bytea;
                else
                    prev := (select c.hash from {Chain} c where c.stream_id = r.stream_id and c.version = r.version - 1);
                    if prev is null then prev := {S}.chain_backlog(r.stream_id, r.version); end if;
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
            insert into {Chain} (seq_id, stream_id, version, prev_hash, hash)
            select * from unnest(seqs, streams, versions, prevs, hashes);
            return null;
        end $fn$;

        -- Before any sequence number is drawn, the writing transaction takes its transaction id: a transaction that holds
        -- a sequence number is then always in the snapshot's list of running ones, which the digests rely on
        -- (ChainDigests: a digest never covers a number whose transaction may still commit).
        create or replace function {S}.chain_take_xid() returns trigger language plpgsql as $fn$
        begin
            perform pg_current_xact_id();
            return null;
        end $fn$;

        -- One batch of the back-fill (EventChain.Backfill): the next unchained events after p_after in sequence order,
        -- chained in stream and version order, the order in which a writer's trigger takes a stream's backlog: two
        -- transactions that take the same rows in one order wait for each other but never deadlock (taken in sequence
        -- order, a batch and a writer did, and the one PostgreSQL aborted had waited a whole deadlock_timeout first).
        -- Returns the last sequence number looked at and how many were chained; nulls when nothing is left (recorded,
        -- so the next start does not scan again: every event since the trigger exists is chained by it).
        create or replace function {S}.chain_backfill(p_after bigint, p_limit int, out last_seq bigint, out chained bigint)
        language plpgsql {Definer} as $fn$
        declare e record; prev bytea;
        begin
            chained := 0;
            if exists (select 1 from {State} where backfilled_at is not null) then return; end if;
            for e in select b.* from (
                         select m.seq_id, m.stream_id, m.version, m.type, m.data from {S}.mt_events m
                         where m.seq_id > p_after and not exists (select 1 from {Chain} c where c.seq_id = m.seq_id)
                         order by m.seq_id limit p_limit) b
                     order by b.stream_id, b.version
            loop
                select hash into prev from {Chain} where stream_id = e.stream_id and version = e.version - 1;
                if prev is null then
                    prev := case when e.version = 1 then '\x'::bytea else {S}.chain_backlog(e.stream_id, e.version) end;
                end if;
                perform {S}.chain_event(e.seq_id, e.stream_id, e.version, e.type, e.data, prev);
                last_seq := greatest(last_seq, e.seq_id);
                chained := chained + 1;
            end loop;
            if last_seq is null then update {State} set backfilled_at = clock_timestamp(); end if;
        end $fn$;

        drop function if exists {S}.chain_inserted_event();
        -- Once per statement, not per row: the group commit inserts a transaction's events in one statement. Created
        -- only when missing: creating a trigger locks the table against inserts, which a start must not do each time.
        do $triggers$
        begin
            if not exists (select 1 from pg_trigger where tgrelid = '{S}.mt_events'::regclass and tgname = 'event_chain') then
                create trigger event_chain after insert on {S}.mt_events
                    referencing new table as inserted for each statement execute function {S}.chain_inserted_events();
            end if;
            if not exists (select 1 from pg_trigger where tgrelid = '{S}.mt_events'::regclass and tgname = 'event_chain_xid') then
                create trigger event_chain_xid before insert on {S}.mt_events
                    for each statement execute function {S}.chain_take_xid();
            end if;
        end $triggers$;
        """;
}
