using System.Net;
using EpiGrid.Tests.Infrastructure;
using EpiGrid.WebHost.Auth;

namespace EpiGrid.Tests.Api;

/// <summary>
/// Times in query strings come with the offset people use (+08:00 in Zhejiang), not only UTC: every endpoint that takes
/// one answers it as it answers the same moment in UTC, never with a 500.
/// </summary>
public sealed class TimesWithAnOffsetTests(EpiGridApp app) : IClassFixture<EpiGridApp>
{
    public static TheoryData<string> Queries() => new(
        "/api/v1/alerts?since={from}",
        "/api/v1/alerts?county=330782&status=open&since={from}",
        "/api/v1/audit/events?stream=cell:330782-001-001&from={from}&to={t}",
        "/api/v1/audit/events?county=330782&from={from}",
        "/api/v1/audit/export?county=330782&from={from}&to={t}&format=ndjson",
        "/api/v1/audit/export?county=330782&from={from}&format=csv",
        "/api/v1/audit/counties/330782/colours/national-3?at={t}&knownAt={t}",
        "/api/v1/cells/330782-001-001?asOf={t}&knownAt={t}",
        "/api/v1/counties/330782?asOf={t}&knownAt={t}",
        "/api/v1/province?asOf={t}&knownAt={t}",
        "/api/v1/web/replay?asOf={t}&knownAt={t}",
        "/api/v1/counties/330782/resumption/history?knownAt={t}",
        "/api/v1/province/resumption/history?knownAt={t}");

    [Theory, MemberData(nameof(Queries))]
    public async Task A_time_with_an_offset_is_the_same_moment_as_in_utc(string query)
    {
        await app.RegisterCell("330782-001-001");
        using var ingest = app.As(Roles.Ingest);
        await app.ReportCase(ingest, "330782-001-001", "offset-" + Math.Abs(query.GetHashCode()), occurredAt: EpiGridApp.Start.AddHours(-3));
        using var admin = app.As(Roles.Admin);
        // {from}: before the case; {t}: the test clock's now, after it (and after the cell was registered).
        string At(DateTimeOffset moment, bool utc) => Uri.EscapeDataString((utc ? moment.ToUniversalTime() : moment).ToString("O"));
        string With(bool utc) => query.Replace("{from}", At(EpiGridApp.Start.AddHours(-4), utc)).Replace("{t}", At(app.Clock.GetUtcNow().ToOffset(TimeSpan.FromHours(8)), utc));
        var local = await admin.GetAsync(With(utc: false));
        var utc = await admin.GetAsync(With(utc: true));
        var body = await local.Content.ReadAsStringAsync();
        ((int)local.StatusCode).ShouldBeLessThan(500, body);
        local.StatusCode.ShouldBe(utc.StatusCode, body);
        local.StatusCode.ShouldBe(HttpStatusCode.OK, body);
    }
}
