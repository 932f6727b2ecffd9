using System.Collections.Concurrent;
using System.Text.Json;
using EpiGrid.Alerts;
using EpiGrid.Client;
using EpiGrid.Platform;
using EpiGrid.Grains.People;
using EpiGrid.Grains.Storage;
using EpiGrid.People;
using EpiGrid.Simulator.Runner;
using Marten;
using Microsoft.AspNetCore.SignalR.Client;
using Npgsql;

namespace EpiGrid.Bench.Workloads;

/// <summary>
/// Close contacts through the API (issue 16): confirmed cases reported in cells of ten counties (single-report API, not
/// measured), then each case's 20 contacts in one <c>POST /api/v1/cases/{caseId}/contacts</c> (distinct persons staying
/// in watched cells of up to three counties: the case's and the next two), 8 clients at a time. Figures: contacts/s
/// acknowledged (the API answers after every contact of the request is committed), request p50/p99, and contact → its
/// <c>contact-trace</c> alert on the GridClient of the grid worker of the contact's cell (one worker a county, holding
/// that county's watched cells, so every contact's alert is expected), timed from the acknowledgement of the request
/// that carried the contact (an alert may arrive before it: counted as 0) and, beside it, from the request's send.
/// Baselines in the same run, platform stopped: Marten storing what the platform stores for a new contact (the
/// person's stream with its ContactRecorded and HealthCodeChanged, and the person's register document), 20 persons a
/// save, 8 saves in flight; and for the alert, the bare hops of the push workload (SignalR echo + PostgreSQL commit),
/// measured here when push is not in the run.
/// </summary>
public sealed class ContactsWorkload(PushWorkload push) : IWorkload
{
    const int ContactsPerCase = 20, Clients = 8, CountiesUsed = 10, CellsPerWorker = 8, WarmUpCases = 5;
    const double GoalShareOfBaseline = 0.25, GoalAlertP99Ms = 250;
    const string BaselineDatabase = "baseline_contacts";
    static readonly string[] Settings = ["household", "work", "transport", "medical", "social", "other"];
    static readonly TimeSpan UtcOffset = TimeSpan.FromHours(8);
    readonly Figures figures = new();
    string hopsFrom = "push";

    public string Name => "contacts";

    static int Cases(BenchContext ctx) => ctx.Quick ? 200 : 1000;

    public async Task Baseline(BenchContext ctx, int run)
    {
        // The alert's bare hops: the push workload's of this run (its baseline ran just before), else measured here.
        var hops = new[] { "signalrEchoP50Ms", "signalrEchoP99Ms", "postgresCommitP50Ms", "postgresCommitP99Ms" };
        if (push.Baselines.Has(hops[0]) && push.Baselines[hops[0]].Values.Count >= run)
            foreach (var h in hops) figures.Add(h, push.Baselines[h].Values[run - 1], "ms");
        else
        {
            hopsFrom = "contacts";
            await PushWorkload.BareHops(ctx, figures);
        }

        // A database of its own, fresh each run: every run's baseline starts from the same empty store.
        await using (var admin = new NpgsqlConnection(ctx.Database("postgres")))
        {
            await admin.OpenAsync();
            await using (var drop = new NpgsqlCommand($"drop database if exists {BaselineDatabase} with (force)", admin)) await drop.ExecuteNonQueryAsync();
            await using (var create = new NpgsqlCommand($"create database {BaselineDatabase}", admin)) await create.ExecuteNonQueryAsync();
        }
        using var store = DocumentStore.For(o => MartenSetup.Configure(o, ctx.Database(BaselineDatabase)));
        await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();

        var plan = new Plan(ctx, run);
        var protector = new PersonalDataProtector(Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)));
        var now = DateTimeOffset.UtcNow;
        var saves = Enumerable.Range(0, Cases(ctx) + WarmUpCases).Select(i => plan.Contacts(i, now).Select(c => Stored(c, plan.CaseCounty(i), protector, now)).ToList()).ToList();
        foreach (var save in saves.TakeLast(WarmUpCases)) await Save(store, save); // warm-up: compiled paths, connections
        var latency = new Latency();
        var next = -1;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, Clients).Select(async _ =>
        {
            while (Interlocked.Increment(ref next) is var i && i < Cases(ctx))
            {
                var started = Latency.Start();
                await Save(store, saves[i]);
                latency.Record(started);
            }
        }));
        var seconds = clock.Elapsed.TotalSeconds;
        var persons = saves.Take(Cases(ctx)).Sum(s => s.Count);
        var events = saves.Take(Cases(ctx)).Sum(s => s.Sum(p => p.Events.Count));
        figures.Add("martenContactsPerSecond", persons / seconds, "contacts/s");
        figures.Add("martenEventsPerSecond", events / seconds, "events/s");
        figures.Add("martenSaveP50Ms", latency.PercentileMs(50), "ms");
        figures.Add("martenSaveP99Ms", latency.PercentileMs(99), "ms");
        BenchContext.Log($"contacts baselines run {run}: Marten {persons / seconds:N0} contacts/s ({events / seconds:N0} events/s; {ContactsPerCase} new persons "
            + $"a save, {Clients} in flight; save p99 {latency.PercentileMs(99):0.0} ms); bare hops from {hopsFrom}: echo p99 "
            + $"{figures["signalrEchoP99Ms"].Values[^1]:0.00} ms, commit p99 {figures["postgresCommitP99Ms"].Values[^1]:0.00} ms");
    }

    /// <summary>What the platform stores for a person new to it named as a contact: its events, from the platform's own decider, and its register.</summary>
    static (string Stream, List<IEpiEvent> Events, PersonRecord Record) Stored(Contact c, string caseCounty, PersonalDataProtector protector, DateTimeOffset now)
    {
        var personRef = protector.PersonRef(c.IdNumber);
        var state = new PersonState(personRef);
        var report = new ReportContact(new Provenance("bench", c.Source), c.CaseId, caseCounty, ResidentId.Mask(c.IdNumber), c.Name,
            PhoneNumber.Mask(c.Phone), protector.PhoneHash(c.Phone), c.CellId, c.LastContactAt, c.Setting, new ReportSource(c.Source, c.RecordId));
        var decision = PersonDecider.Contact(state, report, now);
        var (working, all) = PersonDecider.Settle(state, decision.Events, now, UtcOffset, report.By);
        return (StreamKeys.Person(personRef), all, PersonRecord.Of(working, UtcOffset));
    }

    static async Task Save(IDocumentStore store, List<(string Stream, List<IEpiEvent> Events, PersonRecord Record)> persons)
    {
        await using var session = store.LightweightSession();
        foreach (var (stream, events, record) in persons)
        {
            session.Events.StartStream(stream, events.Cast<object>().ToArray());
            session.Store(record);
        }
        await session.SaveChangesAsync();
    }

    public async Task Measure(BenchContext ctx, PlatformUnderTest platform, int run)
    {
        var plan = new Plan(ctx, run);
        using var client = PlatformClient.For(platform.BaseAddress, Clients * 2);
        var ingestToken = await client.DevToken("ingest");
        await using var source = NpgsqlDataSource.Create(ctx.Database(PlatformUnderTest.DatabaseOf(platform.Run)));
        async Task<long> Count(string type)
        {
            await using var count = source.CreateCommand($"select count(*) from {MartenSetup.Schema}.mt_events where type = '{type}'");
            return (long)(await count.ExecuteScalarAsync())!;
        }

        // One grid worker a county, holding that county's watched cells: every contact stays in one of them.
        var arrived = new ConcurrentDictionary<string, long>();
        // Where the time goes (wall clocks of one machine): the alert's raisedAt (the person grain's decision, before its
        // commit) → arrival: the commit, the alert ledger, the push and SignalR, without the rest of the request.
        var raisedToArrival = new ConcurrentDictionary<string, TimeSpan>();
        var repeats = 0;
        var workers = new List<GridClient>();
        // The first county's worker also has a bare hub connection (a second device): when an alert reaches the hub
        // client, before the GridClient orders it and holds live alerts back while it catches up (after a gap, once a minute).
        var atHub = new ConcurrentDictionary<string, long>();
        HubConnection? bare = null;
        try
        {
            foreach (var (county, cells) in plan.Watched)
            {
                var token = await LiveClients.DevToken(client, "grid-worker", cells: [.. cells], subject: $"bench-contacts-worker-{county}");
                var worker = new GridClient(platform.BaseAddress, () => Task.FromResult<string?>(token));
                worker.AlertReceived += a =>
                {
                    var at = Stopwatch.GetTimestamp();
                    if (a.Kind != "contact-trace" || !a.Subject.TryGetValue("personRef", out var person)) return;
                    if (arrived.TryAdd(person, at)) raisedToArrival[person] = DateTimeOffset.UtcNow - a.RaisedAt;
                    else Interlocked.Increment(ref repeats);
                };
                workers.Add(worker);
                await worker.StartAsync();
                if (bare is not null) continue;
                bare = LiveClients.Connection(new Uri(platform.BaseAddress, "/hubs/grid"), token);
                bare.On<Alert>("alert", a =>
                {
                    if (a.Kind == "contact-trace" && a.Subject.TryGetValue("personRef", out var person)) atHub.TryAdd(person, Stopwatch.GetTimestamp());
                });
                await bare.StartAsync();
            }

            // The cases (not measured), then an unmeasured warm-up of a few cases' contacts.
            var caseClock = Stopwatch.StartNew();
            var now = DateTimeOffset.UtcNow;
            var reported = new bool[Cases(ctx) + WarmUpCases];
            var nextCase = -1;
            await Task.WhenAll(Enumerable.Range(0, Clients).Select(async _ =>
            {
                while (Interlocked.Increment(ref nextCase) is var i && i < reported.Length)
                {
                    using var request = client.Request(HttpMethod.Post, $"/api/v1/cells/{plan.CaseCell(i)}/cases", ingestToken, new JsonObject
                    {
                        ["caseId"] = plan.CaseId(i), ["kind"] = "confirmed", ["local"] = true, ["clusterId"] = null,
                        ["occurredAt"] = now.AddHours(-2),
                    });
                    using var response = await client.Http.SendAsync(request);
                    reported[i] = response.IsSuccessStatusCode;
                }
            }));
            var casesPerSecond = reported.Length / caseClock.Elapsed.TotalSeconds;
            var bodies = Enumerable.Range(0, reported.Length).Select(i => JsonSerializer.SerializeToUtf8Bytes(new JsonObject
            {
                ["items"] = new JsonArray(plan.Contacts(i, now).Select(c => (JsonNode)new JsonObject
                {
                    ["idNumber"] = c.IdNumber, ["name"] = c.Name, ["phone"] = c.Phone, ["cellId"] = c.CellId,
                    ["lastContactAt"] = c.LastContactAt.ToString("O"), ["setting"] = c.Setting, ["source"] = c.Source, ["sourceRecordId"] = c.RecordId,
                }).ToArray()),
            })).ToList();
            var contactsBefore = await Count(StoredEvents.NameOf<ContactRecorded>());
            for (var i = Cases(ctx); i < reported.Length; i++)
                if (reported[i]) await Send(client, ingestToken, plan.CaseId(i), bodies[i]);
            await Task.Delay(TimeSpan.FromSeconds(2)); // the warm-up's alerts, the JIT's background recompilation
            var warmedUp = await Count(StoredEvents.NameOf<ContactRecorded>()) - contactsBefore;

            // Measured: each request one case's contacts, Clients requests in flight.
            contactsBefore = await Count(StoredEvents.NameOf<ContactRecorded>());
            var sent = new ConcurrentBag<(string Person, long SentAt, long AckAt)>();
            var requests = new Latency();
            long acknowledged = 0, failedRequests = 0;
            string? firstProblem = null;
            var next = -1;
            var clock = Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, Clients).Select(async _ =>
            {
                while (Interlocked.Increment(ref next) is var i && i < Cases(ctx))
                {
                    if (!reported[i]) { Interlocked.Increment(ref failedRequests); continue; }
                    var (sentAt, ackAt, persons, problem) = await Send(client, ingestToken, plan.CaseId(i), bodies[i]);
                    requests.Record(sentAt, ackAt);
                    if (persons is null)
                    {
                        Interlocked.Increment(ref failedRequests);
                        Interlocked.CompareExchange(ref firstProblem, problem, null);
                        continue;
                    }
                    foreach (var person in persons) sent.Add((person, sentAt, ackAt));
                    Interlocked.Add(ref acknowledged, persons.Count);
                }
            }));
            var seconds = clock.Elapsed.TotalSeconds;
            var lastAck = sent.IsEmpty ? Stopwatch.GetTimestamp() : sent.Max(s => s.AckAt);

            // Every acknowledged contact's alert, or 30 s of nothing new.
            var seen = -1;
            var quietSince = Stopwatch.StartNew();
            while (sent.Any(s => !arrived.ContainsKey(s.Person)) && quietSince.Elapsed < TimeSpan.FromSeconds(30))
            {
                if (arrived.Count != seen) (seen, quietSince) = (arrived.Count, Stopwatch.StartNew());
                await Task.Delay(50);
            }
            var fromAck = new Latency();
            var fromSend = new Latency();
            var fromRaised = new Latency();
            var hubFromAck = new Latency();
            long received = 0, beforeAck = 0, lastArrival = lastAck;
            foreach (var (person, sentAt, ackAt) in sent)
            {
                if (!arrived.TryGetValue(person, out var at)) continue;
                received++;
                if (at < ackAt) beforeAck++;
                fromAck.Record(ackAt, at);
                fromSend.Record(sentAt, at);
                if (atHub.TryGetValue(person, out var hubAt)) hubFromAck.Record(ackAt, hubAt);
                if (raisedToArrival.TryGetValue(person, out var path)) fromRaised.Record(0, (long)(path.TotalSeconds * Stopwatch.Frequency));
                lastArrival = Math.Max(lastArrival, at);
            }
            var stored = await Count(StoredEvents.NameOf<ContactRecorded>()) - contactsBefore;
            // Nothing of this workload still on its way when the next starts (import counts the alerts raised).
            var alertsRaised = -1L;
            var settling = Stopwatch.StartNew();
            for (var stable = Stopwatch.StartNew(); stable.Elapsed < TimeSpan.FromSeconds(1) && settling.Elapsed < TimeSpan.FromSeconds(30);)
            {
                var count = await Count(StoredEvents.NameOf<AlertRaised>());
                if (count != alertsRaised) (alertsRaised, stable) = (count, Stopwatch.StartNew());
                await Task.Delay(200);
            }

            var rate = acknowledged / seconds;
            figures.Add("contactsPerSecond", rate, "contacts/s");
            figures.Add("requestP50Ms", requests.PercentileMs(50), "ms");
            figures.Add("requestP99Ms", requests.PercentileMs(99), "ms");
            figures.Add("contactAlertP50Ms", fromAck.PercentileMs(50), "ms");
            figures.Add("contactAlertP99Ms", fromAck.PercentileMs(99), "ms");
            figures.Add("contactAlertMaxMs", fromAck.MaxMs, "ms");
            figures.Add("contactAlertFromSendP50Ms", fromSend.PercentileMs(50), "ms");
            figures.Add("contactAlertFromSendP99Ms", fromSend.PercentileMs(99), "ms");
            figures.Add("hubAlertP50Ms", hubFromAck.PercentileMs(50), "ms");
            figures.Add("hubAlertP99Ms", hubFromAck.PercentileMs(99), "ms");
            figures.Add("hubAlertCount", hubFromAck.Count, "alerts");
            figures.Add("raisedToArrivalP50Ms", fromRaised.PercentileMs(50), "ms");
            figures.Add("raisedToArrivalP99Ms", fromRaised.PercentileMs(99), "ms");
            figures.Add("alertsBeforeAckShare", received == 0 ? 0 : (double)beforeAck / received, "share");
            figures.Add("lastAlertAfterLastAckMs", LiveClients.Ms(lastAck, lastArrival), "ms");
            figures.Add("contactsAcknowledged", acknowledged, "contacts");
            figures.Add("alertsReceived", received, "alerts");
            figures.Add("alertsMissing", acknowledged - received, "alerts");
            figures.Add("alertsTwice", repeats, "alerts");
            figures.Add("contactsStored", stored, "contacts");
            figures.Add("failedRequests", failedRequests, "requests");
            figures.Add("caseReportsPerSecond", casesPerSecond, "reports/s");
            BenchContext.Log($"contacts run {run}: {acknowledged:N0} contacts in {seconds:0.0} s, {rate:N0} contacts/s ({Cases(ctx)} requests of "
                + $"{ContactsPerCase}, {Clients} clients; p50 {requests.PercentileMs(50):0} ms, p99 {requests.PercentileMs(99):0} ms; {failedRequests} failed"
                + (firstProblem is null ? "" : $", first: {firstProblem}") + $"); {stored:N0} stored; alerts {received:N0} of {acknowledged:N0} "
                + $"({repeats} twice), ack → alert p50 {fromAck.PercentileMs(50):0.0} ms, p99 {fromAck.PercentileMs(99):0.0} ms, max {fromAck.MaxMs:0} ms "
                + $"({100.0 * beforeAck / Math.Max(1, received):0}% before the ack); send → alert p99 {fromSend.PercentileMs(99):0.0} ms; raised → "
                + $"arrival p50 {fromRaised.PercentileMs(50):0.0} ms, p99 {fromRaised.PercentileMs(99):0.0} ms; ack → hub client (one worker, "
                + $"{hubFromAck.Count:N0} alerts) p50 {hubFromAck.PercentileMs(50):0.0} ms, p99 {hubFromAck.PercentileMs(99):0.0} ms; last alert "
                + $"{LiveClients.Ms(lastAck, lastArrival):0} ms after the last ack; cases {casesPerSecond:N0}/s; warm-up {warmedUp} contacts");
        }
        finally
        {
            foreach (var worker in workers) await worker.DisposeAsync();
            if (bare is not null) await bare.DisposeAsync();
        }
    }

    /// <summary>One case's contacts in one request: when it was sent and acknowledged, and the persons it recorded (null: refused).</summary>
    static async Task<(long SentAt, long AckAt, List<string>? Persons, string? Problem)> Send(PlatformClient client, string token, string caseId, byte[] body)
    {
        using var request = client.Request(HttpMethod.Post, $"/api/v1/cases/{caseId}/contacts", token);
        request.Content = new ByteArrayContent(body) { Headers = { ContentType = new("application/json") } };
        var sentAt = Stopwatch.GetTimestamp();
        try
        {
            using var response = await client.Http.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            var ackAt = Stopwatch.GetTimestamp();
            if (!response.IsSuccessStatusCode) return (sentAt, ackAt, null, $"HTTP {(int)response.StatusCode}: {text[..Math.Min(300, text.Length)]}");
            using var answer = JsonDocument.Parse(text);
            var persons = answer.RootElement.GetProperty("items").EnumerateArray()
                .Where(i => !i.GetProperty("duplicate").GetBoolean()).Select(i => i.GetProperty("personRef").GetString()!).ToList();
            return (sentAt, ackAt, persons, null);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return (sentAt, Stopwatch.GetTimestamp(), null, e.Message);
        }
    }

    public JsonObject Result()
    {
        var ratio = Math.Round(figures["contactsPerSecond"].Median / figures["martenContactsPerSecond"].Median, 3);
        var p99 = figures["contactAlertP99Ms"].Median;
        var floor = figures["signalrEchoP99Ms"].Median + figures["postgresCommitP99Ms"].Median;
        var allDelivered = figures["alertsMissing"].Values.All(v => v == 0) && figures["failedRequests"].Values.All(v => v == 0);
        return new JsonObject
        {
            ["status"] = "measured",
            ["epigrid"] = figures.ToJson("contactsPerSecond", "requestP50Ms", "requestP99Ms", "contactAlertP50Ms", "contactAlertP99Ms",
                "contactAlertMaxMs", "contactAlertFromSendP50Ms", "contactAlertFromSendP99Ms", "hubAlertP50Ms", "hubAlertP99Ms", "hubAlertCount", "raisedToArrivalP50Ms", "raisedToArrivalP99Ms", "alertsBeforeAckShare", "lastAlertAfterLastAckMs",
                "contactsAcknowledged", "alertsReceived", "alertsMissing", "alertsTwice", "contactsStored", "failedRequests", "caseReportsPerSecond"),
            ["baseline"] = figures.ToJson("martenContactsPerSecond", "martenEventsPerSecond", "martenSaveP50Ms", "martenSaveP99Ms",
                "signalrEchoP50Ms", "signalrEchoP99Ms", "postgresCommitP50Ms", "postgresCommitP99Ms"),
            ["ratio"] = new JsonObject
            {
                ["contactsToMarten"] = ratio,
                ["alertP99ToEchoPlusCommitP99"] = Math.Round(p99 / floor, 2),
            },
            ["goal"] = $"contacts/s at least {GoalShareOfBaseline:P0} of Marten storing the same persons; contact → contact-trace alert p99 "
                + $"under {GoalAlertP99Ms} ms, every alert received",
            ["met"] = ratio >= GoalShareOfBaseline && p99 < GoalAlertP99Ms && allDelivered,
            ["goals"] = new JsonObject { ["throughput"] = ratio >= GoalShareOfBaseline, ["alert"] = p99 < GoalAlertP99Ms && allDelivered },
            ["setup"] = "fresh platform, after the other workloads but import; 1,000 confirmed cases (quick 200) in cells of "
                + $"{CountiesUsed} counties (single-report API, {Clients} clients, not measured), {WarmUpCases} more cases' contacts as a warm-up; "
                + $"then each case's {ContactsPerCase} contacts in one request ({Clients} clients; distinct persons with valid identity numbers, "
                + $"names and phones, staying in cells of the case's county and the next two), all in {CountiesUsed * CellsPerWorker} watched "
                + $"cells ({CellsPerWorker} a county), one grid worker's GridClient a county; alert latency from the acknowledgement of the "
                + $"request carrying the contact (an earlier arrival counts as 0), from its send, and from the alert's raisedAt (the person "
                + $"grain's decision; wall clocks of one machine); the first county's worker also on a bare hub connection (hubAlert: "
                + $"from the acknowledgement to the hub client's handler, before the GridClient's ordering and catch-ups); baseline, platform stopped: Marten "
                + $"storing each new person's ContactRecorded and HealthCodeChanged (the platform's decider) on a new stream and its "
                + $"PersonRecord, {ContactsPerCase} persons a save, {Clients} saves in flight, fresh database each run; bare hops "
                + $"(SignalR echo + PostgreSQL commit) {(hopsFrom == "push" ? "of the push workload" : "measured by this workload")}",
        };
    }

    sealed record Contact(string IdNumber, string Name, string Phone, string CellId, DateTimeOffset LastContactAt, string Setting,
        string Source, string RecordId, string CaseId);

    /// <summary>
    /// Which cases and contacts: ten counties spread over the province, each with <see cref="CellsPerWorker"/> watched cells;
    /// case i in county i mod 10; its contact j in a watched cell of county (i + j mod 3) mod 10. The baseline stores
    /// persons of the same plan (its own case ids).
    /// </summary>
    sealed class Plan
    {
        readonly List<(string County, List<string> Cells)> counties;
        readonly int run;
        readonly string runId = Guid.NewGuid().ToString("N")[..6];

        public Plan(BenchContext ctx, int run)
        {
            this.run = run;
            var byCounty = ctx.CellIds.GroupBy(id => id[..6]).Where(g => g.Count() >= 4 * CellsPerWorker).ToList();
            var step = Math.Max(1, byCounty.Count / CountiesUsed);
            counties = byCounty.Where((_, k) => k % step == step / 2).Take(CountiesUsed).Select(g => (g.Key, g.ToList())).ToList();
            Watched = counties.Select(c => (c.County, Enumerable.Range(0, CellsPerWorker).Select(k => c.Cells[k * c.Cells.Count / CellsPerWorker + 1]).ToList())).ToList();
        }

        public IReadOnlyList<(string County, List<string> Cells)> Watched { get; }

        public string CaseId(int i) => $"ct-{runId}-{i}";
        public string CaseCounty(int i) => counties[i % counties.Count].County;
        public string CaseCell(int i)
        {
            var cells = counties[i % counties.Count].Cells;
            return cells[(i / counties.Count * 37 + 3) % cells.Count];
        }

        public IEnumerable<Contact> Contacts(int i, DateTimeOffset now) => Enumerable.Range(0, ContactsPerCase).Select(j =>
        {
            var n = i * ContactsPerCase + j;
            var (county, cells) = Watched[(i + j % 3) % Watched.Count];
            var first17 = $"{county}{new DateOnly(1950, 1, 1).AddDays(run * 40 + n / 1000):yyyyMMdd}{n % 1000:D3}";
            return new Contact(first17 + ResidentId.CheckCharacter(first17), $"接触者 {n}", $"139{n:D8}", cells[(i + j) % cells.Count],
                now.AddHours(-1), Settings[j % Settings.Length], "investigator", $"{CaseId(i)}-{j}", CaseId(i));
        });
    }
}
