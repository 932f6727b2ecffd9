using System.Diagnostics;
using EpiGrid.Events;

namespace EpiGrid.WebHost.Audit;

/// <summary>
/// Records each audit query as an <see cref="AuditQueried"/> event in the stream "audit:&lt;actor&gt;", before the
/// answer leaves. Appended with a Marten session of the web host, not through the silo's group commit: audit
/// queries are rare, touch no grain, and the web host has no event log of its own.
/// </summary>
public sealed class AuditTrail(AuditStore store, [FromKeyedServices(Clocks.Domain)] TimeProvider clock)
{
    public async Task Record(HttpContext http, string endpoint)
    {
        var caller = Jurisdiction.Of(http.User);
        var now = clock.GetUtcNow();
        var query = http.Request.Query.ToDictionary(q => q.Key, q => q.Value.ToString(), StringComparer.Ordinal);
        foreach (var (key, value) in http.Request.RouteValues)
            if (value is string s) query["route." + key] = s;
        var source = http.Request.Headers.TryGetValue(RequestProvenance.SourceHeader, out var header) && header.Count == 1
            ? header.ToString()[..Math.Min(64, header.ToString().Length)] : RequestProvenance.DefaultSource;
        var e = new AuditQueried(endpoint, caller.Role, query,
            new EventMeta(caller.Actor, source, now, now, null, Activity.Current?.Id ?? http.TraceIdentifier));
        await using var session = store.Store.LightweightSession();
        session.Events.Append(AuditStreamKeys.Audit(caller.Actor), e);
        await session.SaveChangesAsync(http.RequestAborted);
    }
}
