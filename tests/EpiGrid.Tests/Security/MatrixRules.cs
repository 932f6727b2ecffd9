using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using EpiGrid.Tests.People;
using EpiGrid.WebHost.Auth;
using static EpiGrid.Tests.Infrastructure.EpiGridApp;
using static EpiGrid.Tests.Security.MatrixWorld;
using EpiGrid.Platform;

namespace EpiGrid.Tests.Security;

/// <summary>How one (caller, scope) call went: the answer as the matrix reads it, and what came back.</summary>
public sealed record Outcome(Answer Answer, int Status, string? ContentType, string Body);

/// <summary>Makes one valid request to an endpoint for a caller, inside or outside their jurisdiction, and reads the answer.</summary>
public delegate Task<Outcome> HttpCall(MatrixWorld world, Caller caller, Scope scope);

/// <summary>The arguments of a hub method for a caller, inside or outside their jurisdiction.</summary>
public delegate object?[] HubArguments(MatrixWorld world, Caller caller, Scope scope);

/// <summary>
/// A rule with its call; a rule whose key ends in "/**" covers every endpoint under that path that has no rule of its
/// own, and <see cref="PerEndpoint"/> makes the call for each of them from its route pattern.
/// </summary>
public sealed record HttpEntry(Rule Rule, HttpCall Call, bool Confined = false, Func<string, HttpCall>? PerEndpoint = null)
{
    public bool IsWildcard => Rule.Key.EndsWith("/**", StringComparison.Ordinal);

    /// <summary>A rule for the same endpoint asked differently ("GET /api/v1/province ?asOf"): a line of its own in the matrix.</summary>
    public bool IsVariant => Rule.Key.Contains(" ?", StringComparison.Ordinal);

    /// <summary>Whether this rule is about a served endpoint ("METHOD /pattern").</summary>
    public bool Covers(string served)
    {
        if (!IsWildcard) return served == Rule.Key.Split(" ?")[0];
        var prefix = Rule.Key[..^3];
        return served == prefix || served.StartsWith(prefix + "/", StringComparison.Ordinal);
    }
}

public sealed record HubEntry(Rule Rule, HubArguments Arguments, bool Confined = false);

/// <summary>
/// The authorization matrix: one line per endpoint and hub method. Columns, in order: grid-worker (looks after
/// cell 330782-601-001), county-official (county 330782), province-official, auditor, ingest, admin, checkpoint (county 330782), anonymous.
/// "ok/403" reads inside/outside the caller's jurisdiction: inside is cell 330782-601-001 or county 330782 (or
/// what lives there: its alert, person, enterprise), outside is the same in county 330110. A single answer holds
/// for both. Every call carries a valid request, so "ok" is a success and a refusal is authorization, not validation.
/// "Confined" rules also check that a jurisdiction-bound caller's successful answer names nothing outside it.
/// </summary>
public static class MatrixRules
{
    public static IReadOnlyList<HttpEntry> Http { get; } =
    [
        //                                                                         worker official province auditor ingest admin checkpoint anonymous
        // Public: the process, the API description, the public map, the static web app.
        E("GET /health/live",                                                       "ok     ok       ok       ok      ok     ok    ok     ok ", Get((_, _) => "/health/live")),
        E("GET /health/ready",                                                      "ok     ok       ok       ok      ok     ok    ok     ok ", Get((_, _) => "/health/ready")),
        E("GET /openapi/{documentName}.json",                                       "ok     ok       ok       ok      ok     ok    ok     ok ", Get((_, _) => "/openapi/v1.json")),
        E("GET /scalar/{documentName?}",                                            "ok     ok       ok       ok      ok     ok    ok     ok ", Get((_, _) => "/scalar/v1")),
        E("GET /scalar/scalar.js",                                                  "ok     ok       ok       ok      ok     ok    ok     ok ", Get((_, _) => "/scalar/scalar.js")),
        E("GET /scalar/scalar.aspnetcore.js",                                       "ok     ok       ok       ok      ok     ok    ok     ok ", Get((_, _) => "/scalar/scalar.aspnetcore.js")),
        E("GET /scalar/favicon.svg",                                                "ok     ok       ok       ok      ok     ok    ok     ok ", Get((_, _) => "/scalar/favicon.svg")),
        E("ANY /metrics",                                                           "ok     ok       ok       ok      ok     ok    ok     ok ", Get((_, _) => "/metrics"), note: "(cluster network only: the ingress does not route it)"),
        E("GET /api/v1/public/map",                                                 "ok     ok       ok       ok      ok     ok    ok     ok ", Get((_, _) => "/api/v1/public/map")),
        E("GET /api/v1/public/boundaries",                                          "404    404      404      404     404    404   404    404", Get((_, _) => "/api/v1/public/boundaries"), note: "(404: no boundary file configured)"),
        E("GET /public",                                                            "ok     ok       ok       ok      ok     ok    ok     ok ", Get((_, _) => "/public")),
        E("HEAD /public",                                                           "ok     ok       ok       ok      ok     ok    ok     ok ", Send(HttpMethod.Head, (_, _) => "/public", null, null)),
        E("GET /public/code",                                                       "ok     ok       ok       ok      ok     ok    ok     ok ", Get((_, _) => "/public/code")),
        E("HEAD /public/code",                                                      "ok     ok       ok       ok      ok     ok    ok     ok ", Send(HttpMethod.Head, (_, _) => "/public/code", null, null)),
        E("GET /api/v1/public/declarations/form",                                   "ok     ok       ok       ok      ok     ok    ok     ok ", Get((_, _) => "/api/v1/public/declarations/form")),
        E("POST /api/v1/public/declarations",                                       "ok     ok       ok       ok      ok     ok    ok     ok ", Post((_, _) => "/api/v1/public/declarations", (w, s) => Json(Declaration(w.Next(), s))), note: "(rate-limited per address)"),
        E("POST /api/v1/public/codes:refresh",                                      "ok     ok       ok       ok      ok     ok    ok     ok ", Refresh, note: "(a live code token is the credential)"),
        E("GET /",                                                                  "ok     ok       ok       ok      ok     ok    ok     ok ", Get((_, _) => "/"), note: "(index.html)"),
        E("HEAD /",                                                                 "ok     ok       ok       ok      ok     ok    ok     ok ", Send(HttpMethod.Head, (_, _) => "/", null, null), note: "(index.html)"),
        E("GET /app.css",                                                           "ok     ok       ok       ok      ok     ok    ok     ok ", Get((_, _) => "/app.css"), note: "(static files)"),
        E("POST /api/v1/dev/tokens",                                                "ok     ok       ok       ok      ok     ok    ok     ok ", Post((_, _) => "/api/v1/dev/tokens", (_, _) => Json(new { role = Roles.Auditor })), note: "(Development only)"),
        E("CONNECT /hubs/public",                                                   "ok     ok       ok       ok      ok     ok    ok     ok ", Connect("/hubs/public")),
        E("CONNECT /hubs/grid",                                                     "ok     ok       ok       ok      ok     ok    ok     401", Connect("/hubs/grid")),

        // Cells, cases, travellers.
        E("PUT /api/v1/cells/{cellId}",                                             "403    403      403      403     403    ok    403    401", Put((_, s) => $"/api/v1/cells/{Cell(s)}", (_, s) => Json(new { name = "Matrix " + Cell(s), households = 300 }))),
        E("PUT /api/v1/cells/{cellId}/control",                                     "403    ok/403   403      403     403    ok    403    401", Put((_, s) => $"/api/v1/cells/{Cell(s)}/control",
            (w, _) => Json(new { level = "controlled", reason = $"Matrix control {w.Next()}", until = Time(Start.AddDays(7)) })), note: "(the county's officials decide; workers carry it out)"),
        E("GET /api/v1/cells/{cellId}",                                             "ok/403 ok/403   ok       ok      403    ok    403    401", Get((_, s) => $"/api/v1/cells/{Cell(s)}")),
        E("GET /api/v1/cells/{cellId}/check-ins-due",                               "ok/403 ok/403   ok       ok      403    ok    403    401", Get((_, s) => $"/api/v1/cells/{Cell(s)}/check-ins-due")),
        E("GET /api/v1/cells/{cellId} ?asOf",                                       "403    ok/403   ok       ok      403    ok    403    401", Get((_, s) => $"/api/v1/cells/{Cell(s)}?asOf={Past}"), note: Replay),
        E("POST /api/v1/cells/{cellId}/cases",                                      "ok/403 ok/403   403      403     ok     ok    403    401", Post((_, s) => $"/api/v1/cells/{Cell(s)}/cases", (w, _) => Json(Case(w)))),
        E("POST /api/v1/cells/{cellId}/cases/{caseId}/status",                      "ok/403 ok/403   403      403     ok     ok    403    401", ChangeStatus),
        E("POST /api/v1/cases/{caseId}/contacts",                                   "ok/403 ok/403   403      403     ok     ok    403    401", Contacts, note: "(the case's cell)"),
        E("POST /api/v1/persons/{personRef}/contacts",                              "ok/403 ok/403   403      403     ok     ok    403    401", ContactsOfContact, note: "(the close contact's cell)"),
        E("GET /api/v1/cases/{caseId}/chain",                                       "ok/403 ok/403   ok       ok      403    ok    403    401", CaseThen((w, s, caseId, _) => Get((_, _) => $"/api/v1/cases/{caseId}/chain")), note: "(the case's cell)"),
        E("GET /api/v1/cases/{caseId}/chain ?asOf",                                 "403    ok/403   ok       ok      403    ok    403    401", CaseThen((w, s, caseId, _) => Get((_, _) => $"/api/v1/cases/{caseId}/chain?asOf={Uri.EscapeDataString(Time(Start))}")), note: "(as it was known then: a replay, so the history's readers)"),
        E("GET /api/v1/clusters/{clusterId}",                                       "403    ok/404   ok       ok      403    ok    403    401", CaseThen((w, s, _, clusterId) => Get((_, _) => $"/api/v1/clusters/{clusterId}")), note: "(a county official: clusters reaching their county)"),
        E("GET /api/v1/counties/{code}/unlinked-cases",                             "403    ok/403   ok       ok      403    ok    403    401", Get((_, s) => $"/api/v1/counties/{County(s)}/unlinked-cases")),
        E("GET /api/v1/counties/{code}/cases",                                      "ok/403 ok/403   ok       ok      403    ok    403    401", Get((_, s) => $"/api/v1/counties/{County(s)}/cases?cell={Cell(s)}"), note: "(a grid worker names their cell)"),
        E("GET /api/v1/counties/{code}/cases ?asOf",                                "403    ok/403   ok       ok      403    ok    403    401", Get((_, s) => $"/api/v1/counties/{County(s)}/cases?asOf={Uri.EscapeDataString(Time(Start))}"), note: Replay),
        E("GET /api/v1/counties/{code}/epicurve",                                   "ok     ok       ok       ok      ok     ok    ok     401", Get((_, s) => $"/api/v1/counties/{County(s)}/epicurve"), note: "(counts only, as the county view)"),
        E("GET /api/v1/province/colour-history",                                    "403    ok       ok       ok      403    ok    403    401", Get((_, _) => "/api/v1/province/colour-history?from=2020-02-18&to=2020-02-20"), note: "(a replay of every county)"),
        E("GET /api/v1/province/epicurve",                                          "ok     ok       ok       ok      ok     ok    ok     401", Get((_, _) => "/api/v1/province/epicurve")),
        E("GET /api/v1/counties/{code}/rt",                                         "ok     ok       ok       ok      ok     ok    ok     401", Get((_, s) => $"/api/v1/counties/{County(s)}/rt"), note: "(counts only, as the epidemic curve)"),
        E("GET /api/v1/province/rt",                                                "ok     ok       ok       ok      ok     ok    ok     401", Get((_, _) => "/api/v1/province/rt")),
        E("GET /api/v1/province/rt/counties",                                       "ok     ok       ok       ok      ok     ok    ok     401", Get((_, _) => "/api/v1/province/rt/counties"), note: "(counts only: the counties ranked by Rt)"),
        E("GET /api/v1/counties/{code}/epicurve ?asOf",                             "403    ok/403   ok       ok      403    ok    403    401", Get((_, s) => $"/api/v1/counties/{County(s)}/epicurve?asOf={Past}"), note: Replay),
        E("GET /api/v1/province/epicurve ?asOf",                                    "403    403      ok       ok      403    ok    403    401", Get((_, _) => $"/api/v1/province/epicurve?asOf={Past}"), note: Replay),
        E("GET /api/v1/counties/{code}/rt ?asOf",                                   "403    ok/403   ok       ok      403    ok    403    401", Get((_, s) => $"/api/v1/counties/{County(s)}/rt?asOf={Past}"), note: Replay),
        E("GET /api/v1/province/rt ?asOf",                                          "403    403      ok       ok      403    ok    403    401", Get((_, _) => $"/api/v1/province/rt?asOf={Past}"), note: Replay),
        E("GET /api/v1/province/rt/counties ?asOf",                                 "403    403      ok       ok      403    ok    403    401", Get((_, _) => $"/api/v1/province/rt/counties?asOf={Past}"), note: Replay),
        E("GET /api/v1/province/cases",                                             "403    403      ok       ok      403    ok    403    401", Get((_, _) => "/api/v1/province/cases")),
        E("GET /api/v1/province/cases ?asOf",                                       "403    403      ok       ok      403    ok    403    401", Get((_, _) => $"/api/v1/province/cases?asOf={Uri.EscapeDataString(Time(Start))}"), note: Replay),
        E("POST /api/v1/cells/{cellId}/travellers",                                 "ok/403 ok/403   403      403     ok     ok    403    401", Post((_, s) => $"/api/v1/cells/{Cell(s)}/travellers", (w, _) => Json(Traveller(w)))),
        E("POST /api/v1/cells/{cellId}/visits",                                     "ok/403 ok/403   403      403     403    403   403    401", Post((_, s) => $"/api/v1/cells/{Cell(s)}/visits", (w, _) => Json(Visit(w))), note: "(those who visit and answer for it: no source system, no admin)"),
        E("POST /api/v1/reports:batch",                                             "ok/403 ok/403   403      403     ok     ok    403    401", Post((_, _) => "/api/v1/reports:batch", (w, s) => Json(new { items = new[] { BatchCase(w, s) } }), BatchItem), note: "(per item)"),

        // Counties and the province: the map everyone works from.
        E("GET /api/v1/counties",                                                   "ok     ok       ok       ok      ok     ok    ok     401", Get((_, _) => "/api/v1/counties")),
        E("GET /api/v1/counties/{code}",                                            "ok     ok       ok       ok      ok     ok    ok     401", Get((_, s) => $"/api/v1/counties/{County(s)}")),
        E("GET /api/v1/counties/{code} ?asOf",                                      "403    ok/403   ok       ok      403    ok    403    401", Get((_, s) => $"/api/v1/counties/{County(s)}?asOf={Past}"), note: Replay),
        E("GET /api/v1/province",                                                   "ok     ok       ok       ok      ok     ok    ok     401", Get((_, _) => "/api/v1/province")),
        E("GET /api/v1/province ?asOf",                                             "403    403      ok       ok      403    ok    403    401", Get((_, _) => $"/api/v1/province?asOf={Past}"), note: Replay),
        E("GET /api/v1/rules",                                                      "ok     ok       ok       ok      ok     ok    ok     401", Get((_, _) => "/api/v1/rules")),
        E("GET /api/v1/web/counties/{code}/trend",                                  "ok     ok       ok       ok      ok     ok    ok     401", Get((_, s) => $"/api/v1/web/counties/{County(s)}/trend")),

        // History: read-only, and every read is itself recorded.
        E("GET /api/v1/audit/events",                                               "403    ok/403   ok       ok      403    ok    403    401", Get((_, s) => $"/api/v1/audit/events?county={County(s)}"), confined: true),
        E("GET /api/v1/audit/persons/{personRef}/code",                             "403    ok/403   ok       ok      403    ok    403    401", Get((w, s) => $"/api/v1/audit/persons/{w.Person(s)}/code")),
        E("GET /api/v1/audit/counties/{code}/colours/{ruleSet}",                    "403    ok/403   ok       ok      403    ok    403    401", Get((_, s) => $"/api/v1/audit/counties/{County(s)}/colours/{RuleSet}")),
        E("POST /api/v1/audit/what-if",                                             "403    403      ok       ok      403    ok    403    401", Post((_, _) => "/api/v1/audit/what-if", (_, _) => Json(new { ruleSet = RuleSet, from = Start.AddDays(-1), to = Start }))),
        E("GET /api/v1/audit/export",                                               "403    ok/403   ok       ok      403    ok    403    401", Get((_, s) => $"/api/v1/audit/export?county={County(s)}"), confined: true),
        E("GET /api/v1/audit/verify",                                               "403    403      403      ok      403    ok    403    401", Get((_, _) => "/api/v1/audit/verify")),
        E("GET /api/v1/audit/digests",                                              "403    403      403      ok      403    ok    403    401", Get((_, _) => "/api/v1/audit/digests")),
        E("POST /api/v1/audit/verify/digests",                                      "403    403      403      ok      403    ok    403    401", Post((_, _) => "/api/v1/audit/verify/digests",
            (_, _) => Json(new { digests = new[] { new { uptoSeq = 1L, fromSeq = 0L, events = 1L, prevDigest = "", digest = new string('0', 64) } } }))),
        E("GET /api/v1/web/replay",                                                 "403    403      ok       ok      403    ok    403    401", Get((_, _) => "/api/v1/web/replay")),

        // Alerts: one's own groups; another jurisdiction's alert does not exist for the caller (404).
        E("GET /api/v1/alerts",                                                     "ok     ok       ok       ok      403    ok    403    401", Get((_, s) => $"/api/v1/alerts?county={County(s)}"), confined: true, note: "(filtered to the caller's groups)"),
        E("GET /api/v1/alerts/{alertId}",                                           "ok/404 ok/404   ok       ok      404    ok    404    401", Get((w, s) => $"/api/v1/alerts/{w.Alert(s)}")),
        E("POST /api/v1/alerts/{alertId}/ack",                                      "ok/404 ok/404   ok       403     404    ok    404    401", Post((w, s) => $"/api/v1/alerts/{w.Alert(s)}/ack", (_, _) => Json(new { note = "matrix" }))),

        // People: identities are hashed at the edge; the code scan shows a masked id only.
        E("POST /api/v1/persons/{personRef}/check-ins",                             "ok/403 ok/403   403      403     ok     ok    403    401", Post((w, s) => $"/api/v1/persons/{w.Person(s)}/check-ins", (w, _) => Json(CheckIn(w)))),
        E("POST /api/v1/persons/{personRef}/itinerary",                             "ok/403 ok/403   403      403     ok     ok    403    401", Post((w, s) => $"/api/v1/persons/{w.Person(s)}/itinerary", (w, _) => Json(new
        {
            items = new[] { new { county = InCounty, from = Time(Start.AddDays(-3)), to = Time(Start.AddDays(-2)) } }, source = "matrix", sourceRecordId = $"mx-trip-{w.Next()}",
        }))),
        E("GET /api/v1/codes/{personRef}",                                          "ok     ok       ok       ok      ok     ok    403    401", Get((w, s) => $"/api/v1/codes/{w.Person(s)}"), note: "(by reference: a checkpoint scans code tokens instead)"),
        E("POST /api/v1/codes:scan",                                                "403    403      403      403     ok     ok    ok     401", Scan, note: "(anyone's code: people travel)"),
        E("POST /api/v1/imports/arrivals",                                          "403    ok/403   403      403     ok     ok    403    401", Post((_, _) => "/api/v1/imports/arrivals", ArrivalsCsv, Rows("imported", "cellId")), note: "(per row)"),
        E("GET /api/v1/imports/{id}",                                               "403    404      403      403     ok     ok    403    401", ImportProgress, note: "(an import started by ingest with Prefer: respond-async: its starter's and admins'; to others who import it does not exist)"),

        // The resumption index: every role reads it; ingest, admins and the county's officials write.
        E("GET /api/v1/counties/{code}/resumption",                                 "ok     ok       ok       ok      ok     ok    ok     401", Get((_, s) => $"/api/v1/counties/{County(s)}/resumption")),
        E("GET /api/v1/counties/{code}/resumption/history",                         "ok     ok       ok       ok      ok     ok    ok     401", Get((_, s) => $"/api/v1/counties/{County(s)}/resumption/history")),
        E("GET /api/v1/counties/{code}/resumption/history ?knownAt",                "403    ok/403   ok       ok      403    ok    403    401", Get((_, s) => $"/api/v1/counties/{County(s)}/resumption/history?knownAt={Past}"), note: IndexKnownAt),
        E("GET /api/v1/province/resumption",                                        "ok     ok       ok       ok      ok     ok    ok     401", Get((_, _) => "/api/v1/province/resumption")),
        E("GET /api/v1/province/resumption/history",                                "ok     ok       ok       ok      ok     ok    ok     401", Get((_, _) => "/api/v1/province/resumption/history")),
        E("GET /api/v1/province/resumption/history ?knownAt",                       "403    403      ok       ok      403    ok    403    401", Get((_, _) => $"/api/v1/province/resumption/history?knownAt={Past}"), note: IndexKnownAt),
        E("PUT /api/v1/enterprises/{id}",                                           "403    403      403      403     ok     ok    403    401", Put((w, _) => $"/api/v1/enterprises/mx-put-{w.Next()}", (_, s) => Json(Enterprise(County(s))))),
        E("GET /api/v1/enterprises/{id}",                                           "403    ok/403   ok       ok      ok     ok    403    401", Get((w, s) => $"/api/v1/enterprises/{w.Enterprise(s)}")),
        E("POST /api/v1/enterprises/{id}/staff",                                    "403    ok/403   403      403     ok     ok    403    401", Post((w, s) => $"/api/v1/enterprises/{w.Enterprise(s)}/staff", (w, _) => Json(new { day = Day(w), staffAtWork = 10 }))),
        E("POST /api/v1/enterprises",                                               "403    403      403      403     ok     ok    403    401", Post((_, _) => "/api/v1/enterprises", (w, s) => Json(new[] { Bulk(w, s) }), Rows("created", "county")), note: "(per item)"),
        E("POST /api/v1/enterprises/readings",                                      "403    ok/403   403      403     ok     ok    403    401", Post((_, _) => "/api/v1/enterprises/readings", (w, s) => Json(new[] { new { enterpriseId = w.Enterprise(s), day = Day(w), kwh = 500.0 } }), Rows("applied", "enterpriseId")), note: "(per row)"),

        // Operations: admins only.
        E("GET /api/v1/cluster",                                                    "403    403      403      403     403    ok    403    401", Get((_, _) => "/api/v1/cluster")),
        E("POST /api/v1/admin/registers:rebuild",                                   "403    403      403      403     403    ok    403    401", Send(HttpMethod.Post, (_, _) => "/api/v1/admin/registers:rebuild", null, null)),
        E("GET /dashboard/signin",                                                  "ok     ok       ok       ok      ok     ok    ok     ok ", Get((_, _) => "/dashboard/signin?token=not-a-token"), note: "(keeps the token in a cookie; the dashboard checks it)"),
        W("GET /dashboard/**",                                                      "403    403      403      403     403    ok    403    401", pattern => Send(HttpMethod.Get, (w, _) => w.DashboardUrl(pattern), null, null, headersOnly: true), note: "(the Orleans dashboard: each of its endpoints)"),
    ];

    /// <summary>
    /// The hub methods: a refusal is a HubException, read as 404 when it says "No ..." (as over HTTP, what lies outside
    /// the caller's jurisdiction does not exist for them) and 403 otherwise; without a connection there is no call at all.
    /// </summary>
    public static IReadOnlyList<HubEntry> Hub { get; } =
    [
        //                                              worker official province auditor ingest admin  checkpoint anonymous
        H("GridHub.Join",                               "ok/403 ok/403   ok/403   ok/403  403    ok/403 403    401", (_, c, s) => [GroupOf(c, s)], note: "(only the groups joined on connecting)"),
        H("GridHub.Ack",                                "ok/404 ok/404   ok       403     404    ok     404    401", (w, _, s) => [w.Alert(s), "matrix"]),
        H("GridHub.CatchUp",                            "ok     ok       ok       ok      ok     ok     ok     401", (_, _, _) => [0L], confined: true, note: "(the caller's groups only)"),
    ];

    const string Replay = "(a replay at a past moment, asOf or knownAt, is history)";
    const string IndexKnownAt = "(the index as recorded by then: a replay of every county's stream, so history's roles, a few at a time)";
    static readonly string Past = Uri.EscapeDataString(Time(Start.AddHours(-1)));

    static HttpEntry E(string key, string row, HttpCall call, bool confined = false, string? note = null) => new(Rule.Parse(key, row, note), call, confined);

    static HttpEntry W(string key, string row, Func<string, HttpCall> perEndpoint, string? note = null) =>
        new(Rule.Parse(key, row, note), (_, _, _) => throw new InvalidOperationException($"{key} is called once per endpoint it covers"), PerEndpoint: perEndpoint);

    static HubEntry H(string key, string row, HubArguments arguments, bool confined = false, string? note = null) => new(Rule.Parse(key, row, note), arguments, confined);

    /// <summary>The group a caller joins: inside, the one its claims give (ingest has none); outside, another county's.</summary>
    static string GroupOf(Caller caller, Scope scope) => (caller.Role, scope) switch
    {
        (Roles.GridWorker, _) => "cell:" + Cell(scope),
        (_, Scope.Outside) => "county-officials:" + OutCounty,
        (Roles.CountyOfficial, _) => "county-officials:" + InCounty,
        _ => "province",
    };

    // ---- request bodies: valid, and fresh where a repeat would be a duplicate ----

    static object Case(MatrixWorld w) => new
    {
        caseId = $"mx-case-{w.Next()}", kind = "suspected", local = true, occurredAt = Time(Start.AddHours(-2)),
    };

    static JsonObject BatchCase(MatrixWorld w, Scope s) => new()
    {
        ["type"] = "case", ["cellId"] = Cell(s), ["caseId"] = $"mx-batch-{w.Next()}", ["kind"] = "suspected", ["local"] = true,
        ["occurredAt"] = Time(Start.AddHours(-2)),
    };

    static object Traveller(MatrixWorld w) => new
    {
        travellerId = $"mx-traveller-{w.Next()}", originArea = "温州 Wenzhou", originRisk = "low", arrivedAt = Time(Start.AddHours(-3)),
    };

    static object Visit(MatrixWorld w) => new { visitId = $"mx-visit-{w.Next()}", visitedAt = Time(Start.AddMinutes(-w.Next())), outcome = "not-home" };

    static object CheckIn(MatrixWorld w) => new { occurredAt = Time(Start.AddMinutes(-w.Next())), temperature = 36.6m, symptoms = Array.Empty<string>() };

    static object Bulk(MatrixWorld w, Scope s) => new
    {
        id = $"mx-bulk-{w.Next()}", county = County(s), name = "Matrix works", industry = "textiles", baselineKwhPerDay = 1000.0,
    };

    /// <summary>A past local day: readings and staff reports are once per enterprise and day, and a repeat is a duplicate (still ok).</summary>
    static string Day(MatrixWorld w) => DateOnly.FromDateTime(Start.Date).AddDays(-(w.Next() % 60)).ToString("yyyy-MM-dd");

    static HttpContent ArrivalsCsv(MatrixWorld w, Scope s)
    {
        var n = w.Next();
        var id = ResidentIdTests.Make(420106, new DateOnly(1960, 1, 1).AddDays(n), n % 1000);
        var csv = "idNumber,name,phone,originArea,originRisk,arrivedAt,mode,source,sourceRecordId,cellId\n"
                  + $"{id},,,温州 Wenzhou,low,{Time(Start.AddHours(-3))},rail,matrix-import,mx-import-{n},{Cell(s)}\n";
        return new StringContent(csv, Encoding.UTF8, new System.Net.Http.Headers.MediaTypeHeaderValue("text/csv"));
    }

    static readonly System.Runtime.CompilerServices.ConditionalWeakTable<MatrixWorld, Task<string>> StartedImports = new();

    /// <summary>The progress of the one import ingest starts (asynchronously) in this world, read by the caller.</summary>
    static async Task<Outcome> ImportProgress(MatrixWorld w, Caller caller, Scope s)
    {
        var location = await StartedImports.GetValue(w, async world =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/imports/arrivals") { Content = ArrivalsCsv(world, Scope.Inside) };
            request.Headers.Add("Prefer", "respond-async");
            var response = await world.Client(Caller.Roles.Single(c => c.Role == Roles.Ingest)).SendAsync(request);
            response.StatusCode.ShouldBe(HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
            return response.Headers.Location!.OriginalString;
        });
        return await Get((_, _) => location)(w, caller, s);
    }

    /// <summary>Reports a case (as admin) for this call alone, then changes its status as the caller.</summary>
    static async Task<Outcome> ChangeStatus(MatrixWorld w, Caller caller, Scope s)
    {
        var caseId = $"mx-status-{w.Next()}";
        await ReportCase(w, s, caseId, kind: "suspected");
        return await Post((_, _) => $"/api/v1/cells/{Cell(s)}/cases/{caseId}/status",
            (_, _) => Json(new { status = "hospitalised", occurredAt = Time(Start.AddHours(-1)) }))(w, caller, s);
    }

    /// <summary>Reports a case in a cluster (as admin) for this call alone, then makes the call about it (case id, cluster id).</summary>
    static HttpCall CaseThen(Func<MatrixWorld, Scope, string, string, HttpCall> call) => async (w, caller, s) =>
    {
        var n = w.Next();
        var (caseId, clusterId) = ($"mx-chain-{n}", $"mx-cluster-{n}");
        await ReportCase(w, s, caseId, clusterId);
        return await call(w, s, caseId, clusterId)(w, caller, s);
    };

    /// <summary>Reports a case in the scope's cell, as admin; the admin's client.</summary>
    static async Task<HttpClient> ReportCase(MatrixWorld w, Scope s, string caseId, string? clusterId = null, string kind = "confirmed")
    {
        var admin = w.Client(Caller.Roles.Single(c => c.Role == Roles.Admin));
        (await admin.PostAsJsonAsync($"/api/v1/cells/{Cell(s)}/cases", new
        {
            caseId, kind, local = true, clusterId, occurredAt = Time(Start.AddHours(-3)),
        })).StatusCode.ShouldBe(HttpStatusCode.Created);
        return admin;
    }

    static object Declaration(int n, Scope s) => new
    {
        idNumber = ResidentIdTests.Make(330782, new DateOnly(1975, 1, 1).AddDays(n), n % 1000), name = "Matrix", phone = "13912345678", cellId = Cell(s),
    };

    /// <summary>A citizen declares (anonymously) in the cell of the scope, for this call alone: the code token of the answer.</summary>
    static async Task<string> DeclaredToken(MatrixWorld w, Scope s)
    {
        var response = await w.Client(Caller.Anonymous).PostAsJsonAsync("/api/v1/public/declarations", Declaration(w.Next(), s));
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["token"]!.GetValue<string>();
    }

    static async Task<Outcome> Refresh(MatrixWorld w, Caller caller, Scope s)
    {
        var token = await DeclaredToken(w, s);
        return await Post((_, _) => "/api/v1/public/codes:refresh", (_, _) => Json(new { token }))(w, caller, s);
    }

    /// <summary>A checkpoint scans in the county its token names; a source system or an admin names the county.</summary>
    static async Task<Outcome> Scan(MatrixWorld w, Caller caller, Scope s)
    {
        var token = await DeclaredToken(w, s);
        object body = caller.Role == Roles.Checkpoint ? new { token, place = "Matrix gate" } : new { token, place = "Matrix gate", county = County(s) };
        return await Post((_, _) => "/api/v1/codes:scan", (_, _) => Json(body))(w, caller, s);
    }

    /// <summary>Reports a case (as admin) for this call alone, then one close contact of it as the caller.</summary>
    static async Task<Outcome> Contacts(MatrixWorld w, Caller caller, Scope s)
    {
        var n = w.Next();
        var caseId = $"mx-contacts-{n}";
        await ReportCase(w, s, caseId);
        return await Post((_, _) => $"/api/v1/cases/{caseId}/contacts", (_, _) => Json(new
        {
            items = new[]
            {
                new
                {
                    idNumber = ResidentIdTests.Make(330782, new DateOnly(1970, 1, 1).AddDays(n), n % 1000), cellId = Cell(s),
                    lastContactAt = Time(Start.AddHours(-2)), setting = "household", source = "matrix", sourceRecordId = $"mx-contact-{n}",
                },
            },
        }))(w, caller, s);
    }

    /// <summary>Reports a case and a close contact of it (as admin) for this call alone, then a contact of that contact as the caller.</summary>
    static async Task<Outcome> ContactsOfContact(MatrixWorld w, Caller caller, Scope s)
    {
        var n = w.Next();
        var caseId = $"mx-cc-{n}";
        var admin = await ReportCase(w, s, caseId);
        object Item(int region, string record) => new
        {
            idNumber = ResidentIdTests.Make(region, new DateOnly(1972, 1, 1).AddDays(n), n % 1000), cellId = Cell(s),
            lastContactAt = Time(Start.AddHours(-2)), setting = "household", source = "matrix", sourceRecordId = record,
        };
        var contact = await admin.PostAsJsonAsync($"/api/v1/cases/{caseId}/contacts", new { items = new[] { Item(330783, $"mx-cc-{n}") } });
        contact.StatusCode.ShouldBe(HttpStatusCode.Created);
        var personRef = (await contact.Content.ReadFromJsonAsync<JsonObject>())!["items"]![0]!["personRef"]!.GetValue<string>();
        return await Post((_, _) => $"/api/v1/persons/{personRef}/contacts", (_, _) => Json(new { items = new[] { Item(330784, $"mx-ccc-{n}") } }))(w, caller, s);
    }

    // ---- calls ----

    static HttpContent Json(object body) => JsonContent.Create(body);

    static HttpCall Get(Func<MatrixWorld, Scope, string> path, Func<Outcome, Outcome>? read = null) =>
        Send(HttpMethod.Get, path, null, read);

    static HttpCall Post(Func<MatrixWorld, Scope, string> path, Func<MatrixWorld, Scope, HttpContent> body, Func<Outcome, Outcome>? read = null) =>
        Send(HttpMethod.Post, path, body, read);

    static HttpCall Put(Func<MatrixWorld, Scope, string> path, Func<MatrixWorld, Scope, HttpContent> body) => Send(HttpMethod.Put, path, body, null);

    /// <param name="headersOnly">For endpoints that stream without end (the dashboard's trace): the status is the answer.</param>
    static HttpCall Send(HttpMethod method, Func<MatrixWorld, Scope, string> path, Func<MatrixWorld, Scope, HttpContent>? body, Func<Outcome, Outcome>? read,
        bool headersOnly = false) =>
        async (w, caller, s) =>
        {
            using var request = new HttpRequestMessage(method, path(w, s)) { Content = body?.Invoke(w, s) };
            using var response = await w.Client(caller).SendAsync(request, headersOnly ? HttpCompletionOption.ResponseHeadersRead : HttpCompletionOption.ResponseContentRead);
            var outcome = new Outcome(AnswerOf(response.StatusCode), (int)response.StatusCode,
                response.Content.Headers.ContentType?.MediaType, headersOnly ? "" : await response.Content.ReadAsStringAsync());
            return outcome.Answer == Answer.Ok && read is not null ? read(outcome) : outcome;
        };

    static Answer AnswerOf(HttpStatusCode status) => (int)status switch
    {
        >= 200 and < 400 => Answer.Ok,
        401 => Answer.Unauthorized,
        403 => Answer.Forbidden,
        404 => Answer.NotFound,
        _ => Answer.Other,
    };

    /// <summary>A batch answers 200 with each item's own status: the matrix reads the one item's.</summary>
    static Outcome BatchItem(Outcome o) =>
        o with { Answer = AnswerOf((HttpStatusCode)JsonNode.Parse(o.Body)!["results"]![0]!["status"]!.GetValue<int>()) };

    /// <summary>
    /// Bulk uploads answer 200 with a count and per-row errors: ok when the one row counted and no error came back;
    /// refused (403) when the one error is about the row's jurisdiction field; anything else is unexpected.
    /// </summary>
    static Func<Outcome, Outcome> Rows(string counted, string jurisdictionField) => o =>
    {
        var body = JsonNode.Parse(o.Body)!;
        var errors = body["errors"]!.AsArray();
        var answer = errors.Count == 0 && body[counted]!.GetValue<int>() + (body["duplicates"]?.GetValue<int>() ?? body["unchanged"]?.GetValue<int>() ?? 0) == 1
            ? Answer.Ok
            : errors.Count == 1 && errors[0]!["field"]!.GetValue<string>() == jurisdictionField ? Answer.Forbidden : Answer.Other;
        return o with { Answer = answer };
    };

    /// <summary>A real SignalR connection (negotiate, then the WebSocket): ok, or the status it was refused with.</summary>
    static HttpCall Connect(string path) => async (w, caller, _) =>
    {
        var (_, answer) = await w.Hub(caller, path);
        return new Outcome(answer, 0, null, "");
    };
}
