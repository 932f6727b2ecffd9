using System.Net;
using EpiGrid.Tests.Infrastructure;
using EpiGrid.WebHost.Auth;

namespace EpiGrid.Tests.Security;

/// <summary>
/// The read side gets hostile input too: every query parameter and path value of the GET endpoints, given values of
/// the wrong type, out of range, enormous, with control characters or injection attempts, is answered 2xx or 4xx, a
/// 4xx always as problem+json, never a 500.
/// </summary>
public sealed class HostileQueryTests(EpiGridApp app) : IClassFixture<EpiGridApp>
{
    static readonly string[] Values =
    [
        "", "abc", "-1", "0", "99999999999999999999", "1e400", "NaN", "2020-13-45", "2020-02-30T25:61:00+25:00",
        "9999-12-31T23:59:59Z", "0001-01-01T00:00:00+14:00", "' or 1=1--", "%00", "\u0001\u0007", "../../etc/passwd",
        "<script>alert(1)</script>", "=cmd|' /C calc'!A0", new string('9', 5000), "中文", "\uD800",
    ];

    public static TheoryData<string> Targets() => new(
        "/api/v1/alerts?status={v}", "/api/v1/alerts?cell={v}", "/api/v1/alerts?county={v}", "/api/v1/alerts?since={v}",
        "/api/v1/alerts?after={v}", "/api/v1/alerts?limit={v}", "/api/v1/alerts/{v}",
        "/api/v1/audit/events?stream={v}", "/api/v1/audit/events?county={v}", "/api/v1/audit/events?person={v}",
        "/api/v1/audit/events?kind={v}", "/api/v1/audit/events?county=330782&from={v}", "/api/v1/audit/events?county=330782&to={v}",
        "/api/v1/audit/events?county=330782&time={v}", "/api/v1/audit/events?county=330782&page={v}", "/api/v1/audit/events?county=330782&pageSize={v}",
        "/api/v1/audit/events?county=330782&personalData={v}", "/api/v1/audit/export?county={v}", "/api/v1/audit/export?county=330782&format={v}",
        "/api/v1/audit/export?county=330782&from={v}", "/api/v1/audit/counties/{v}/colours/national-3", "/api/v1/audit/counties/330782/colours/{v}",
        "/api/v1/audit/counties/330782/colours/national-3?at={v}", "/api/v1/cells/{v}", "/api/v1/cells/330782-001-001?asOf={v}",
        "/api/v1/cells/330782-001-001?knownAt={v}", "/api/v1/cells/{v}/check-ins-due", "/api/v1/codes/{v}", "/api/v1/counties/{v}",
        "/api/v1/counties/330782?asOf={v}", "/api/v1/counties/330782?knownAt={v}", "/api/v1/counties/{v}/resumption",
        "/api/v1/counties/330782/resumption?day={v}", "/api/v1/counties/330782/resumption/history?from={v}",
        "/api/v1/counties/330782/resumption/history?to={v}", "/api/v1/counties/330782/resumption/history?knownAt={v}",
        "/api/v1/counties/330782/resumption/history?format={v}", "/api/v1/enterprises/{v}", "/api/v1/province?asOf={v}",
        "/api/v1/province?knownAt={v}", "/api/v1/province/resumption?day={v}", "/api/v1/province/resumption/history?from={v}",
        "/api/v1/province/resumption/history?knownAt={v}", "/api/v1/web/counties/{v}/trend", "/api/v1/web/counties/330782/trend?days={v}",
        "/api/v1/web/replay?asOf={v}", "/api/v1/web/replay?knownAt={v}",
        "/api/v1/counties/{v}/cases", "/api/v1/counties/330782/cases?kind={v}", "/api/v1/counties/330782/cases?status={v}",
        "/api/v1/counties/330782/cases?from={v}", "/api/v1/counties/330782/cases?to={v}", "/api/v1/counties/330782/cases?cell={v}",
        "/api/v1/counties/330782/cases?cluster={v}", "/api/v1/counties/330782/cases?linked={v}", "/api/v1/counties/330782/cases?limit={v}",
        "/api/v1/counties/330782/cases?cursor={v}", "/api/v1/counties/330782/cases?format={v}", "/api/v1/counties/330782/cases?knownAt={v}",
        "/api/v1/province/cases?cursor={v}", "/api/v1/province/cases?asOf={v}",
        "/api/v1/counties/{v}/epicurve", "/api/v1/counties/330782/epicurve?from={v}", "/api/v1/counties/330782/epicurve?to={v}",
        "/api/v1/counties/330782/epicurve?by={v}", "/api/v1/province/epicurve?from={v}",
        "/api/v1/counties/{v}/rt", "/api/v1/counties/330782/rt?from={v}", "/api/v1/counties/330782/rt?window={v}",
        "/api/v1/counties/330782/rt?by={v}", "/api/v1/province/rt?to={v}", "/api/v1/counties/330782/rt?asOf={v}", "/api/v1/province/epicurve?knownAt={v}",
        "/api/v1/province/rt/counties?day={v}", "/api/v1/province/rt/counties?window={v}", "/api/v1/province/rt/counties?asOf={v}",
        "/api/v1/province/colour-history?from={v}", "/api/v1/province/colour-history?to={v}", "/api/v1/province/colour-history?ruleSet={v}",
        "/api/v1/counties/330782/resumption?by={v}", "/api/v1/counties/330782/resumption/history?by={v}",
        "/api/v1/province/resumption?by={v}", "/api/v1/province/resumption/history?by={v}",
        "/api/v1/imports/{v}");

    [Theory, MemberData(nameof(Targets))]
    public async Task Hostile_values_in_a_query_or_path_are_answered_4xx_problem_json_never_500(string target)
    {
        using var admin = app.As(Roles.Admin);
        admin.DefaultRequestHeaders.Add("X-Reason", "hostile query test");
        var failures = new List<string>();
        foreach (var value in Values)
        {
            var url = target.Replace("{v}", Uri.EscapeDataString(value));
            var response = await admin.GetAsync(url);
            var status = (int)response.StatusCode;
            if (status >= 500) failures.Add($"{status} for {Show(value)}: {await response.Content.ReadAsStringAsync()}");
            else if (status >= 400 && response.Content.Headers.ContentType?.MediaType != "application/problem+json")
                failures.Add($"{status} without problem+json for {Show(value)}");
        }
        failures.ShouldBeEmpty(string.Join(Environment.NewLine, failures.Take(5)));
    }

    static string Show(string value) => value.Length > 40 ? value[..20] + $"...({value.Length} chars)" : value;
}
