using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using EpiGrid.Tests.Alerts;
using EpiGrid.Tests.Infrastructure;
using EpiGrid.WebHost.Auth;

namespace EpiGrid.Tests.People;

/// <summary>Short-lived code tokens (5 s) so expiry is seen, a proxy believed so one test has an address of its own, and a tight declaration bucket.</summary>
public sealed class DeclarationApp : PushApp
{
    public override IDictionary<string, string?> WebSettings => new Dictionary<string, string?>
    {
        ["CodeTokens:Lifetime"] = "00:00:05",
        ["Transport:KnownProxies"] = "127.0.0.1",
        ["RateLimits:Declarations:Burst"] = "8",
        ["RateLimits:Declarations:PerSecond"] = "1",
    };
}

/// <summary>
/// Self-declaration and the health code's token (issue 16): a citizen declares without an account and gets a signed,
/// short-lived token; a checkpoint scans it; an altered or expired token is refused; a declaration never lowers a code and
/// one from another phone is sent to the cell's workers to verify.
/// </summary>
public sealed class SelfDeclarationTests(DeclarationApp app) : IClassFixture<DeclarationApp>
{
    const string Cell = "330106-403-001", OtherCell = "330106-403-002", Xihu = "330106";
    /// <summary>A county no test of this class reports a case in: a scan there is a stay in a green county.</summary>
    const string Yiwu = "330782";
    static string Id(int n) => ResidentIdTests.Make(330106, new DateOnly(1985, 3, 9), n);

    Task<HttpResponseMessage> Declare(HttpClient client, int n, string phone = "13912345678", string[]? symptoms = null, bool contact = false,
        object[]? itinerary = null, string cell = Cell) =>
        client.PostAsJsonAsync("/api/v1/public/declarations", new
        {
            idNumber = Id(n), name = "王五", phone, cellId = cell, itinerary = itinerary ?? [], symptoms = symptoms ?? [], contactWithCase = contact,
        });

    static Task<HttpResponseMessage> Scan(HttpClient client, string token, string place = "Hangzhou East exit 3") =>
        client.PostAsJsonAsync("/api/v1/codes:scan", new { token, place });

    /// <summary>A citizen's phone, at an address of its own (through the proxy the web host believes): each test has its own bucket.</summary>
    HttpClient Citizen(string address)
    {
        var client = app.Anonymous();
        client.DefaultRequestHeaders.Add("X-Forwarded-For", address);
        return client;
    }

    async Task<long> Events(string type) => await app.Database.Scalar<long>($"select count(*) from epigrid.mt_events where type = '{type}'");

    [Fact]
    public async Task A_declaration_answers_a_token_a_checkpoint_scans_and_no_identity_number_leaves_the_platform()
    {
        await app.RegisterCell(Cell);
        using var anonymous = Citizen("10.0.0.1");
        var response = await Declare(anonymous, 1, itinerary: [new { county = "330783", from = app.Clock.GetUtcNow().AddDays(-3).ToString("O"), to = app.Clock.GetUtcNow().AddDays(-2).ToString("O") }]);
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.OK, text);
        text.ShouldNotContain(Id(1));
        var body = JsonNode.Parse(text)!.AsObject();
        body["status"]!.GetValue<string>().ShouldBe("accepted");
        body["code"]!["colour"]!.GetValue<string>().ShouldBe("green");
        var masked = body["code"]!["maskedId"]!.GetValue<string>();
        masked.ShouldEndWith(Id(1)[^1..]);
        masked.ShouldContain("*");
        body["qr"]!.GetValue<string>().ShouldStartWith("data:image/png;base64,");
        var token = body["token"]!.GetValue<string>();
        body["tokenExpiresAt"]!.GetValue<DateTimeOffset>().ShouldBeInRange(DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddSeconds(6));
        // The token holds no identity number and no person reference in any readable form.
        using var ingest = app.As(Roles.Ingest);
        var arrival = await ingest.PostAsJsonAsync($"/api/v1/cells/{Cell}/travellers", new
        {
            idNumber = Id(1), name = "王五", phone = "13912345678", origin = new { area = "宁波 Ningbo", risk = "low" },
            arrivedAt = app.Clock.GetUtcNow().AddDays(-1).ToString("O"), mode = "car", source = "police", sourceRecordId = "sd-arrival-1",
        });
        var personRef = (await arrival.Body())["personRef"]!.GetValue<string>();
        token.ShouldNotContain(personRef);
        token.ShouldNotContain(personRef[1..]);
        token.ShouldNotContain(Id(1));
        (await app.Database.Scalar<long>($"select count(*) from epigrid.mt_events where stream_id = 'person:{personRef}' and type = 'stay_recorded' and data::text like '%self-declaration%'"))
            .ShouldBe(1, "the declared itinerary is recorded");

        using var checkpoint = app.As(Roles.Checkpoint, Yiwu);
        var scan = await Scan(checkpoint, token);
        var scanText = await scan.Content.ReadAsStringAsync();
        scan.StatusCode.ShouldBe(HttpStatusCode.OK, scanText);
        scanText.ShouldNotContain(Id(1));
        scanText.ShouldNotContain(personRef);
        var scanned = JsonNode.Parse(scanText)!.AsObject();
        scanned["colour"]!.GetValue<string>().ShouldBe("green");
        scanned["maskedId"]!.GetValue<string>().ShouldBe(masked);
        scanned["checkedAt"]!.GetValue<DateTimeOffset>().ShouldBe(app.Clock.GetUtcNow());
        // The scan is a place in the itinerary, once: the same QR read again at the same checkpoint adds nothing.
        var scans = $"select count(*) from epigrid.mt_events where stream_id = 'person:{personRef}' and type = 'stay_recorded' and data::text like '%code-scan%'";
        (await app.Database.Scalar<long>(scans)).ShouldBe(1);
        (await Scan(checkpoint, token)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await app.Database.Scalar<long>(scans)).ShouldBe(1);
        using var auditor = app.As(Roles.Auditor);
        var facts = (await auditor.GetFromJsonAsync<JsonObject>($"/api/v1/audit/persons/{personRef}/code"))!["facts"]!.AsArray();
        facts.ShouldContain(f => f!["kind"]!.GetValue<string>() == "stay" && f["detail"]!.GetValue<string>().Contains("Hangzhou East exit 3"));
        facts.ShouldContain(f => f!["kind"]!.GetValue<string>() == "self-declaration");

        // Only checkpoints and source systems scan; a checkpoint scans in its own county; a source system names the county.
        using var worker = app.As(Roles.GridWorker, null, Cell);
        (await Scan(worker, token)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        var elsewhere = await checkpoint.PostAsJsonAsync("/api/v1/codes:scan", new { token, place = "Gate", county = Xihu });
        await elsewhere.ShouldBeProblem(HttpStatusCode.BadRequest, "county");
        await (await ingest.PostAsJsonAsync("/api/v1/codes:scan", new { token, place = "Gate" })).ShouldBeProblem(HttpStatusCode.BadRequest, "county");
        (await ingest.PostAsJsonAsync("/api/v1/codes:scan", new { token, place = "Rail gate", county = Yiwu })).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_scan_is_a_place_in_the_itinerary_screened_like_any_a_checkpoint_in_a_county_at_risk_turns_the_code()
    {
        const string Xiaoshan = "330109", Spot = "330109-403-001";
        await app.RegisterCell(Cell);
        await app.RegisterCell(Spot);
        using var ingest = app.As(Roles.Ingest);
        (await app.ReportCase(ingest, Spot, "sd-xiaoshan-1")).StatusCode.ShouldBe(HttpStatusCode.Created);
        string colour = "green";
        // A confirmed local case makes a county yellow or worse under zhejiang-5 (docs/rules.md).
        await Eventually.True(async () => (colour = (await app.County(Xiaoshan)).ColourUnder("zhejiang-5")) is "yellow" or "orange" or "red",
            TimeSpan.FromSeconds(10), "Xiaoshan at risk");
        using var anonymous = Citizen("10.0.0.7");
        var declared = await Declare(anonymous, 9);
        (await declared.Body())["code"]!["colour"]!.GetValue<string>().ShouldBe("green");
        var token = (await declared.Body())["token"]!.GetValue<string>();

        using var checkpoint = app.As(Roles.Checkpoint, Xiaoshan);
        var scan = await Scan(checkpoint, token, "Xiaoshan bus station");
        scan.StatusCode.ShouldBe(HttpStatusCode.OK, await scan.Content.ReadAsStringAsync());
        (await scan.Body())["colour"]!.GetValue<string>().ShouldBe(colour == "yellow" ? "yellow" : "red", $"a stay in a {colour} county, now");
    }

    [Fact]
    public async Task A_token_altered_by_one_character_or_expired_is_refused_and_a_live_one_is_renewed()
    {
        await app.RegisterCell(Cell);
        using var anonymous = Citizen("10.0.0.2");
        var body = await (await Declare(anonymous, 2)).Body();
        var token = body["token"]!.GetValue<string>();
        using var checkpoint = app.As(Roles.Checkpoint, Xihu);
        foreach (var at in new[] { 0, 3, token.Length / 2, token.Length - 1 })
        {
            var altered = token[..at] + (token[at] == 'A' ? 'B' : 'A') + token[(at + 1)..];
            var refused = await Scan(checkpoint, altered);
            await refused.ShouldBeProblem(HttpStatusCode.BadRequest, "token");
        }
        await (await Scan(checkpoint, token + "A")).ShouldBeProblem(HttpStatusCode.BadRequest, "token");
        var scansBefore = await Events("stay_recorded");

        var renewed = await anonymous.PostAsJsonAsync("/api/v1/public/codes:refresh", new { token });
        renewed.StatusCode.ShouldBe(HttpStatusCode.OK, await renewed.Content.ReadAsStringAsync());
        var next = (await renewed.Body())["token"]!.GetValue<string>();
        next.ShouldNotBe(token);

        await Task.Delay(TimeSpan.FromSeconds(5.5));
        var expired = await Scan(checkpoint, token);
        (await expired.ShouldBeProblem(HttpStatusCode.BadRequest, "token")).ShouldContain("expired");
        await (await anonymous.PostAsJsonAsync("/api/v1/public/codes:refresh", new { token })).ShouldBeProblem(HttpStatusCode.BadRequest, "token");
        (await Events("stay_recorded")).ShouldBe(scansBefore, "no refused scan is recorded");
    }

    [Fact]
    public async Task A_declaration_adds_facts_and_never_lowers_a_code_and_the_cell_is_alerted_to_declared_symptoms()
    {
        await app.RegisterCell(OtherCell);
        await using var workerPhone = await DotNetAlertClient.Connect(app.BaseAddress, app.Token(Roles.GridWorker, cells: OtherCell));
        using var anonymous = Citizen("10.0.0.3");
        var sick = await Declare(anonymous, 3, symptoms: ["fever", "cough"], cell: OtherCell);
        sick.StatusCode.ShouldBe(HttpStatusCode.OK, await sick.Content.ReadAsStringAsync());
        (await sick.Body())["code"]!["colour"]!.GetValue<string>().ShouldBe("red");
        var alert = await workerPhone.WaitFor(a => a.Kind == "self-declared-risk", TimeSpan.FromSeconds(5));
        alert.Alert["severity"]!.GetValue<string>().ShouldBe("urgent");
        alert.Alert["message"]!.GetValue<string>().ShouldContain("fever");

        // The same holder declares again with nothing to declare: the code a declaration set stays.
        var calm = await Declare(anonymous, 3, cell: OtherCell);
        (await calm.Body())["code"]!["colour"]!.GetValue<string>().ShouldBe("red");

        // A close contact (another source) declares no contact and no symptoms: still red, with the contact as the reason.
        using var ingest = app.As(Roles.Ingest);
        (await app.ReportCase(ingest, OtherCell, "sd-case-1")).StatusCode.ShouldBe(HttpStatusCode.Created);
        var contact = await ingest.PostAsJsonAsync("/api/v1/cases/sd-case-1/contacts", new
        {
            items = new[] { new { idNumber = Id(4), name = "赵六", cellId = OtherCell, lastContactAt = app.Clock.GetUtcNow().AddDays(-1).ToString("O"), setting = "household", source = "cdc", sourceRecordId = "sd-contact-4" } },
        });
        contact.StatusCode.ShouldBe(HttpStatusCode.Created, await contact.Content.ReadAsStringAsync());
        var declared = await Declare(anonymous, 4, phone: "13700001111", cell: OtherCell);
        (await declared.Body())["code"]!["colour"]!.GetValue<string>().ShouldBe("red");
        // A declared contact with a case makes a green person red (a task for the cell, not urgent).
        var told = await Declare(anonymous, 5, contact: true, cell: OtherCell);
        (await told.Body())["code"]!["colour"]!.GetValue<string>().ShouldBe("red");
        (await workerPhone.WaitFor(a => a.Kind == "self-declared-risk" && a.Alert["severity"]!.GetValue<string>() == "task", TimeSpan.FromSeconds(5)))
            .Alert["message"]!.GetValue<string>().ShouldContain("contact with a case");
    }

    [Fact]
    public async Task A_declaration_from_another_phone_replaces_nothing_and_asks_the_cell_to_verify_once()
    {
        await app.RegisterCell(Cell);
        await using var workerPhone = await DotNetAlertClient.Connect(app.BaseAddress, app.Token(Roles.GridWorker, cells: Cell));
        using var anonymous = Citizen("10.0.0.4");
        (await Declare(anonymous, 6, phone: "13611112222")).StatusCode.ShouldBe(HttpStatusCode.OK);
        var impostor = await Declare(anonymous, 6, phone: "13633334444", symptoms: ["fever"], cell: OtherCell);
        var text = await impostor.Content.ReadAsStringAsync();
        impostor.StatusCode.ShouldBe(HttpStatusCode.Accepted, text);
        var body = JsonNode.Parse(text)!.AsObject();
        body["status"]!.GetValue<string>().ShouldBe("verification-pending");
        body["code"].ShouldBeNull();
        body["token"].ShouldBeNull();
        var task = await workerPhone.WaitFor(a => a.Kind == "declaration-verify", TimeSpan.FromSeconds(5));
        task.Alert["message"]!.GetValue<string>().ShouldContain("verify who holds this identity number");
        // The first declaration stands: the holder's code is green, in the first cell.
        var holder = await Declare(anonymous, 6, phone: "13611112222");
        (await holder.Body())["code"]!["colour"]!.GetValue<string>().ShouldBe("green");
        var disputes = await Events("self_declaration_disputed");
        (await Declare(anonymous, 6, phone: "13633334444")).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        (await Events("self_declaration_disputed")).ShouldBe(disputes, "one task per other phone");
    }

    [Fact]
    public async Task A_bad_declaration_is_refused_field_by_field_and_records_nothing()
    {
        await app.RegisterCell(Cell);
        using var anonymous = Citizen("10.0.0.5");
        var before = await app.Database.Scalar<long>("select count(*) from epigrid.mt_events");
        var bad = await anonymous.PostAsJsonAsync("/api/v1/public/declarations", new
        {
            idNumber = Id(7)[..17] + (Id(7)[17] == '1' ? '2' : '1'), name = "", cellId = "330106-403", symptoms = new[] { "fever", "headache" },
            itinerary = new[] { new { county = "999999", from = app.Clock.GetUtcNow().AddDays(-1).ToString("O"), to = app.Clock.GetUtcNow().AddDays(-2).ToString("O") } },
        });
        var text = await bad.ShouldBeProblem(HttpStatusCode.BadRequest, "idNumber");
        foreach (var field in new[] { "name", "phone", "cellId", "symptoms[1]", "itinerary[0].county", "itinerary[0].to" }) text.ShouldContain($"\"{field}\"");
        // Citizens read these on the public page: every message has its Chinese half.
        var messages = JsonNode.Parse(text)!["errors"]!.AsObject().SelectMany(e => e.Value!.AsArray().Select(m => m!.GetValue<string>())).ToList();
        messages.ShouldAllBe(m => m.Any(c => c >= '\u4e00' && c <= '\u9fff'));
        await (await Declare(anonymous, 8, cell: "330106-403-099")).ShouldBeProblem(HttpStatusCode.BadRequest, "cellId");
        (await app.Database.Scalar<long>("select count(*) from epigrid.mt_events")).ShouldBe(before);
        var form = (await anonymous.GetFromJsonAsync<JsonObject>("/api/v1/public/declarations/form"))!;
        form["now"]!.GetValue<DateTimeOffset>().ShouldBe(app.Clock.GetUtcNow());
        form["symptoms"]!.AsArray().Select(s => s!["value"]!.GetValue<string>()).ShouldContain("fever");
        form["counties"]!.AsArray().Count.ShouldBe(90);
    }

    [Fact]
    public async Task Declarations_are_rate_limited_per_address_with_a_problem_and_retry_after()
    {
        using var anonymous = Citizen("10.20.30.40");
        var answers = new List<HttpResponseMessage>();
        for (var i = 0; i < 20; i++) answers.Add(await anonymous.PostAsJsonAsync("/api/v1/public/declarations", new { idNumber = "x" }));
        answers.Take(8).ShouldAllBe(a => a.StatusCode == HttpStatusCode.BadRequest);
        var limited = answers.First(a => a.StatusCode == HttpStatusCode.TooManyRequests);
        limited.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        limited.Headers.RetryAfter.ShouldNotBeNull();
        // Another address is not held back by it.
        using var neighbour = Citizen("10.20.30.41");
        (await neighbour.PostAsJsonAsync("/api/v1/public/declarations", new { idNumber = "x" })).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }
}

static class ProblemAssertions
{
    /// <summary>Asserts a problem+json answer of this status naming <paramref name="field"/> in its errors; returns its text.</summary>
    public static async Task<string> ShouldBeProblem(this HttpResponseMessage response, HttpStatusCode status, string field)
    {
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(status, text);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        JsonNode.Parse(text)!["errors"]![field].ShouldNotBeNull(text);
        return text;
    }
}
