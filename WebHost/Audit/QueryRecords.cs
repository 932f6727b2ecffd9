using System.Globalization;
using System.Diagnostics;
using EpiGrid.Audit;
using EpiGrid.Platform;

namespace EpiGrid.WebHost.Audit;

/// <summary>
/// Records who looked at what: each audit query as an <see cref="AuditQueried"/> (or <see cref="PersonalDataViewed"/>)
/// event in the stream "audit:&lt;actor&gt;", before the answer leaves; exports and health code lookups too. The records
/// go through the actor's <see cref="IQueryRecordGrain"/> and the event log, like every other event. (The hash chain
/// that makes the history tamper-evident is another thing: Grains/Audit.)
/// </summary>
public sealed class QueryRecords(IClusterClient grains, [FromKeyedServices(Clocks.Domain)] TimeProvider clock)
{
    /// <param name="personalDataReason">Given when the answer shows personal data in clear: recorded as
    /// <see cref="PersonalDataViewed"/> with this reason instead of a plain <see cref="AuditQueried"/>.</param>
    public async Task Record(HttpContext http, string endpoint, string? personalDataReason = null)
    {
        var caller = Jurisdiction.Of(http.User);
        var query = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in http.Request.Query) query[Printable(key)] = Printable(value.ToString());
        foreach (var (key, value) in http.Request.RouteValues)
            if (value is string s) query["route." + Printable(key)] = Printable(s);
        var meta = Meta(http, personalDataReason);
        IEpiEvent e = personalDataReason is null
            ? new AuditQueried(endpoint, caller.Role, query, meta)
            : new PersonalDataViewed(endpoint, caller.Role, query, meta);
        await Append(caller.Actor, e, http.RequestAborted);
    }

    /// <summary>
    /// What an export wrote, once it has ended (also when the caller left or its timeout stopped it): recorded even
    /// though the request may be gone, hence no cancellation.
    /// </summary>
    public Task RecordExport(HttpContext http, string? county, string? clearReason, long rows, long bytes, bool complete) =>
        Append(Jurisdiction.Of(http.User).Actor,
            new ExportCompleted("export", county, clearReason is null ? "masked" : "clear", rows, bytes, complete, Meta(http, clearReason)),
            CancellationToken.None);

    /// <summary>A health code lookup (GET /api/v1/codes/{personRef}), recorded as <see cref="HealthCodeViewed"/> before it is answered.</summary>
    public Task RecordCodeLookup(HttpContext http, string personRef, bool found, bool reasonsShown)
    {
        var caller = Jurisdiction.Of(http.User);
        return Append(caller.Actor, new HealthCodeViewed(personRef, caller.Role, found, reasonsShown, Meta(http, null)), http.RequestAborted);
    }

    EventMeta Meta(HttpContext http, string? reason)
    {
        var now = clock.GetUtcNow();
        var source = http.Request.Headers.TryGetValue(RequestProvenance.SourceHeader, out var header) && header.Count == 1
            ? header.ToString()[..Math.Min(64, header.ToString().Length)] : RequestProvenance.DefaultSource;
        return new EventMeta(Jurisdiction.Of(http.User).Actor, source, now, now, reason, Activity.Current?.Id ?? http.TraceIdentifier);
    }

    async Task Append(string actor, IEpiEvent e, CancellationToken cancellationToken)
    {
        var result = await grains.GetGrain<IQueryRecordGrain>(actor).Record(e).WaitAsync(cancellationToken);
        if (!result.Succeeded) throw new QueryNotRecordedException(result.Error ?? "The query could not be recorded.");
    }

    /// <summary>
    /// The query as asked, control characters written out (<c>\u0000</c>): PostgreSQL's jsonb refuses a NUL, and a
    /// record that cannot be written would refuse the answer.
    /// </summary>
    static string Printable(string text)
    {
        if (!text.Any(char.IsControl)) return text;
        var printable = new System.Text.StringBuilder(text.Length + 16);
        foreach (var c in text)
            if (char.IsControl(c)) printable.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}");
            else printable.Append(c);
        return printable.ToString();
    }
}

/// <summary>A query that could not be recorded is not answered (503: retry shortly).</summary>
public sealed class QueryNotRecordedException(string message) : Exception(message);
