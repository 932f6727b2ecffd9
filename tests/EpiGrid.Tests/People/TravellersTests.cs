using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using EpiGrid.Tests.Alerts;
using EpiGrid.Tests.Infrastructure;
using EpiGrid.WebHost.Auth;
using System.Collections.Concurrent;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;

namespace EpiGrid.Tests.People;

/// <summary>Issue 4 end to end: arrivals with identities, health codes, check-ins, dedupe across sources.</summary>
public sealed class TravellersTests(PushApp app) : IClassFixture<PushApp>
{
    const string Cell = "330110-001-001", County = "330110";
    static readonly DateTimeOffset Arrived = EpiGridApp.Start.AddHours(-2);

    static object Arrival(string idNumber, string risk, string source, string recordId, DateTimeOffset? at = null, string area = "武汉 Wuhan") => new
    {
        idNumber, name = "张三", phone = "13812345678", origin = new { area, risk }, arrivedAt = (at ?? Arrived).ToString("O"),
        mode = "rail", source, sourceRecordId = recordId,
    };

    static string Id(int n) => ResidentIdTests.Make(420106, new DateOnly(1985, 3, 4), n);

    [Fact]
    public async Task A_traveller_from_a_high_risk_area_gets_a_red_code_for_14_days_and_the_cell_holds_them()
    {
        await app.RegisterCell(Cell);
        using var police = app.As(Roles.Ingest);
        var response = await police.PostAsJsonAsync($"/api/v1/cells/{Cell}/travellers", Arrival(Id(1), "high", "police-checkpoint", "pc-1"));

        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var body = await response.Body();
        var personRef = body["personRef"]!.GetValue<string>();
        personRef.ShouldStartWith("p");
        body["code"]!["colour"]!.GetValue<string>().ShouldBe("red");
        body["code"]!["validUntil"]!.GetValue<DateTimeOffset>().ShouldBe(new DateTimeOffset(2020, 3, 5, 0, 0, 0, TimeSpan.FromHours(8)));

        using var worker = app.As(Roles.GridWorker, cells: Cell);
        var scan = (await worker.GetFromJsonAsync<JsonObject>($"/api/v1/codes/{personRef}"))!;
        scan["colour"]!.GetValue<string>().ShouldBe("red");
        scan["maskedId"]!.GetValue<string>().ShouldBe(new string('*', 17) + Id(1)[17..]);
        scan.ToJsonString().ShouldNotContain(Id(1));
        var cell = (await worker.GetFromJsonAsync<JsonObject>($"/api/v1/cells/{Cell}"))!;
        cell["travellers"]!.AsArray().ShouldContain(t => t!["travellerId"]!.GetValue<string>() == body["arrivalId"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_close_contact_or_declared_symptoms_make_the_code_red_even_from_a_low_risk_area_and_the_quarantine_place_is_kept()
    {
        await app.RegisterCell(Cell);
        using var ingest = app.As(Roles.Ingest);
        async Task<JsonObject> Report(int n, object extra)
        {
            var body = JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(Arrival(Id(n), "low", "self-declaration", $"sd-{n}", area: "宁波 Ningbo")))!.AsObject();
            foreach (var (key, value) in JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(extra))!.AsObject()) body[key] = value?.DeepClone();
            var response = await ingest.PostAsJsonAsync($"/api/v1/cells/{Cell}/travellers", body);
            response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
            return await response.Body();
        }

        var plain = await Report(40, new { });
        plain["code"]!["colour"]!.GetValue<string>().ShouldBe("green", "a low-risk origin alone asks nothing");
        var contact = await Report(41, new { closeContactOf = "nb-case-7", quarantine = "central" });
        contact["code"]!["colour"]!.GetValue<string>().ShouldBe("red");
        contact["code"]!["reason"].ShouldBeNull("a source system may not read the cell: the reasons go to those who may (issue 14)");
        var symptoms = await Report(42, new { symptoms = new[] { "fever", "cough" } });
        symptoms["code"]!["colour"]!.GetValue<string>().ShouldBe("red");

        using var worker = app.As(Roles.GridWorker, cells: Cell);
        async Task<string> ReasonOf(JsonObject arrival) =>
            (await worker.GetFromJsonAsync<JsonObject>($"/api/v1/codes/{arrival["personRef"]!.GetValue<string>()}"))!["reason"]!.GetValue<string>();
        (await ReasonOf(contact)).ShouldContain("nb-case-7");
        (await ReasonOf(symptoms)).ShouldContain("cough");
        var travellers = (await worker.GetFromJsonAsync<JsonObject>($"/api/v1/cells/{Cell}"))!["travellers"]!.AsArray();
        string QuarantineOf(JsonObject arrival) => travellers.Single(t => t!["travellerId"]!.GetValue<string>() == arrival["arrivalId"]!.GetValue<string>())!["quarantine"]!.GetValue<string>();
        QuarantineOf(contact).ShouldBe("central, red, 14 days");
        QuarantineOf(symptoms).ShouldBe("home, red, 14 days");
        QuarantineOf(plain).ShouldBe("none");

        var before = await app.Database.Scalar<long>("select count(*) from epigrid.mt_events");
        var bad = await ingest.PostAsJsonAsync($"/api/v1/cells/{Cell}/travellers", new
        {
            idNumber = Id(43), origin = new { area = "宁波", risk = "low" }, arrivedAt = Arrived.ToString("O"), source = "self-declaration",
            sourceRecordId = "sd-43", quarantine = "hotel",
        });
        bad.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await bad.Body())["errors"]!["quarantine"].ShouldNotBeNull();
        (await app.Database.Scalar<long>("select count(*) from epigrid.mt_events")).ShouldBe(before);
    }

    [Fact]
    public async Task The_same_journey_from_police_and_from_rail_is_one_arrival_with_two_sources_and_a_resend_changes_nothing()
    {
        await app.RegisterCell(Cell);
        using var ingest = app.As(Roles.Ingest);
        var police = await (await ingest.PostAsJsonAsync($"/api/v1/cells/{Cell}/travellers", Arrival(Id(2), "high", "police-checkpoint", "pc-2"))).Body();
        var rail = await ingest.PostAsJsonAsync($"/api/v1/cells/{Cell}/travellers", Arrival(Id(2), "high", "rail", "12306-778", Arrived.AddMinutes(40)));
        var again = await ingest.PostAsJsonAsync($"/api/v1/cells/{Cell}/travellers", Arrival(Id(2), "high", "rail", "12306-778", Arrived.AddMinutes(40)));

        rail.StatusCode.ShouldBe(HttpStatusCode.OK);
        var railBody = await rail.Body();
        railBody["corroborated"]!.GetValue<bool>().ShouldBeTrue();
        railBody["arrivalId"]!.GetValue<string>().ShouldBe(police["arrivalId"]!.GetValue<string>());
        (await again.Body())["duplicate"]!.GetValue<bool>().ShouldBeTrue();
        var personRef = police["personRef"]!.GetValue<string>();
        var events = await app.Database.Rows($"select type from epigrid.mt_events where stream_id = 'person:{personRef}' order by version", r => r.GetString(0));
        events.Where(t => t.StartsWith("arrival")).ShouldBe(["arrival_reported", "arrival_corroborated"]);
    }

    [Theory]
    [InlineData("42010619850304001", "idNumber")]
    [InlineData("420106198503040010", "idNumber")]
    public async Task A_bad_identity_number_is_refused_and_nothing_is_stored(string idNumber, string field)
    {
        await app.RegisterCell(Cell);
        using var ingest = app.As(Roles.Ingest);
        var before = await app.Database.Scalar<long>("select count(*) from epigrid.mt_events where stream_id like 'person:%'");
        var response = await ingest.PostAsJsonAsync($"/api/v1/cells/{Cell}/travellers", Arrival(idNumber, "high", "rail", "bad-" + idNumber));
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.Body())["errors"]!.AsObject().ContainsKey(field).ShouldBeTrue();
        (await app.Database.Scalar<long>("select count(*) from epigrid.mt_events where stream_id like 'person:%'")).ShouldBe(before);
    }
}

/// <summary>No resident id number or phone number in clear: not in PostgreSQL, not in logs or metrics, not in a push.</summary>
public sealed class PersonalDataTests(PushApp app) : IClassFixture<PushApp>
{
    /// <summary>Every byte the server sends a SignalR client, as received (long polling: each poll's body).</summary>
    sealed class TrafficRecorder(HttpMessageHandler inner, ConcurrentQueue<string> received) : DelegatingHandler(inner)
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            received.Enqueue(System.Text.Encoding.UTF8.GetString(bytes));
            var copy = new ByteArrayContent(bytes);
            foreach (var header in response.Content.Headers) copy.Headers.TryAddWithoutValidation(header.Key, header.Value);
            response.Content = copy;
            return response;
        }
    }

    async Task<HubConnection> Recorded(string path, string? token, ConcurrentQueue<string> traffic)
    {
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(app.BaseAddress, path), HttpTransportType.LongPolling, o =>
            {
                if (token is not null) o.AccessTokenProvider = () => Task.FromResult<string?>(token);
                o.HttpMessageHandlerFactory = inner => new TrafficRecorder(inner, traffic);
            })
            .Build();
        await connection.StartAsync();
        return connection;
    }

    [Fact]
    public async Task No_identity_or_phone_number_appears_in_clear_in_the_store_the_logs_the_metrics_or_signalr_traffic()
    {
        const string cell = "330212-001-001", phone = "13912345678";
        var idNumber = ResidentIdTests.Make(330212, new DateOnly(1979, 6, 30), 777);
        string[] secrets = [idNumber, phone, idNumber[6..14] + idNumber[14..17]];
        await app.RegisterCell(cell);
        await using var worker = await DotNetAlertClient.Connect(app.BaseAddress, app.Token(Roles.GridWorker, cells: cell));
        var traffic = new ConcurrentQueue<string>();
        await using var workerWire = await Recorded("/hubs/grid", app.Token(Roles.GridWorker, cells: cell), traffic);
        await using var officialWire = await Recorded("/hubs/grid", app.Token(Roles.CountyOfficial, "330212"), traffic);
        await using var provinceWire = await Recorded("/hubs/grid", app.Token(Roles.ProvinceOfficial), traffic);
        await using var publicWire = await Recorded("/hubs/public", null, traffic);
        using var ingest = app.As(Roles.Ingest);
        var arrival = await ingest.PostAsJsonAsync($"/api/v1/cells/{cell}/travellers", new
        {
            idNumber, name = "王五", phone, origin = new { area = "武汉 Wuhan", risk = "high" },
            arrivedAt = EpiGridApp.Start.AddHours(-3).ToString("O"), mode = "air", source = "flight-manifest", sourceRecordId = "mu5231-12c",
        });
        var personRef = (await arrival.Body())["personRef"]!.GetValue<string>();
        (await ingest.PostAsJsonAsync($"/api/v1/persons/{personRef}/check-ins", new
        {
            occurredAt = EpiGridApp.Start.AddHours(-1).ToString("O"), temperature = 38.4, symptoms = new[] { "cough" },
        })).StatusCode.ShouldBe(HttpStatusCode.Created);
        await worker.WaitFor(a => a.Kind == "check-in-symptoms", TimeSpan.FromSeconds(5));
        await worker.WaitFor(a => a.Kind == "traveller-visit", TimeSpan.FromSeconds(5));
        var csv = $"idNumber,name,phone,originArea,originRisk,arrivedAt,mode,source,sourceRecordId,cellId\n{idNumber},王五,{phone},武汉,high,{EpiGridApp.Start.AddHours(-3):O},air,csv-import,r1,{cell}\n";
        (await ingest.PostAsync("/api/v1/imports/arrivals", new StringContent(csv, System.Text.Encoding.UTF8, "text/csv"))).StatusCode.ShouldBe(HttpStatusCode.OK);

        var tables = await app.Database.Rows("select table_name from information_schema.tables where table_schema = 'epigrid'", r => r.GetString(0));
        tables.ShouldContain("mt_events");
        tables.ShouldContain("mt_streams");
        tables.Count(t => t.StartsWith("mt_doc_")).ShouldBeGreaterThan(3, "every document table is searched: " + string.Join(", ", tables));
        (await app.Database.Scalar<long>("select count(*) from epigrid.mt_events t where t::text like '%' || @s || '%'", ("s", ResidentIdTests.MaskOf(idNumber))))
            .ShouldBeGreaterThan(0, "the search works: the masked form is there");
        foreach (var table in tables)
            foreach (var secret in secrets)
                (await app.Database.Scalar<long>($"select count(*) from epigrid.{table} t where t::text like '%' || @s || '%'", ("s", secret)))
                    .ShouldBe(0, $"{secret} in table {table}");
        app.Logs.Lines.Count.ShouldBeGreaterThan(0);
        app.Logs.Lines.ShouldNotContain(l => secrets.Any(l.Contains));

        using var anonymous = app.Anonymous();
        var metrics = await anonymous.GetStringAsync("/metrics");
        metrics.ShouldContain("http_server_request_duration", customMessage: "the search works: the metrics are there");
        foreach (var secret in secrets) metrics.ShouldNotContain(secret);
        // Nor the platform's own secrets: the signing key of its tokens and the key of the identity hashes.
        foreach (var key in new[] { app.SigningKey, app.HashKey })
        {
            app.Logs.Lines.ShouldNotContain(l => l.Contains(key), "a key in the logs");
            metrics.ShouldNotContain(key);
            foreach (var table in tables)
                (await app.Database.Scalar<long>($"select count(*) from epigrid.{table} t where t::text like '%' || @s || '%'", ("s", key))).ShouldBe(0, $"a key in table {table}");
        }

        await Eventually.True(() => Task.FromResult(traffic.Any(t => t.Contains("traveller-visit")) && traffic.Any(t => t.Contains("countyChanged"))),
            TimeSpan.FromSeconds(10), "the recorders see the pushes");
        var wire = string.Concat(traffic);
        foreach (var secret in secrets) wire.ShouldNotContain(secret);
        foreach (var received in worker.Alerts)
            foreach (var secret in secrets) received.Alert.ToJsonString().ShouldNotContain(secret);
    }
}
