using EpiGrid.Alerts;

namespace EpiGrid.WebHost.Alerts;

/// <summary>Alerts over HTTP: the same alerts the hub pushes, for clients that cannot hold a connection.</summary>
public static class AlertsApi
{
    public sealed record AckRequest(string? Note);

    public static RouteGroupBuilder MapAlertsApi(this RouteGroupBuilder api)
    {
        var alerts = api.MapGroup("/alerts").WithTags("Alerts");
        alerts.MapGet("", List).WithName("listAlerts")
            .WithSummary("Alerts within the caller's jurisdiction, oldest first: ?status=open|acknowledged&cell=&county=&since=&after=<seq>.")
            .ProducesProblems(400, 403);
        alerts.MapGet("/{alertId}", Get).WithName("getAlert")
            .WithSummary("One alert with its history (raised, acknowledged, escalated: who and when).").ProducesProblems(404);
        alerts.MapPost("/{alertId}/ack", Acknowledge).WithName("acknowledgeAlert")
            .WithSummary("Acknowledge an alert, with an optional note.").ProducesProblems(400, 403, 404, 409);
        return api;
    }

    static async Task<Results<Ok<List<AlertPayload>>, ProblemHttpResult>> List(
        HttpContext http, IClusterClient grains, string? status, string? cell, string? county, DateTimeOffset? since, long? after, int? limit)
    {
        var caller = Jurisdiction.Of(http.User);
        if (status is not null and not (AlertStatus.Open or AlertStatus.Acknowledged))
            return Problems.Invalid("status", "Must be open or acknowledged.").ToResult(http);
        if (cell is not null && !Province.IsCellId(cell)) return Problems.Invalid("cell", "Must be a cell id such as 330782-004-017.").ToResult(http);
        if (AlertAudience.ReadableGroups(caller) is { Count: 0 }) return Problems.Forbidden("This role receives no alerts.").ToResult(http);
        // Paging by ?after= must not skip an alert still being committed: read only up to the ledger's committed mark.
        var upTo = await grains.GetGrain<IAlertLedgerGrain>(0).CommittedThrough();
        var found = await grains.GetGrain<IAlertQueryGrain>(0).Find(
            new AlertQuery(AlertAudience.ReadableGroups(caller), after ?? 0, status, cell, county, since, Math.Clamp(limit ?? 500, 1, 5000), upTo));
        return TypedResults.Ok(found.Select(AlertPayload.From).ToList());
    }

    static async Task<Results<Ok<object>, ProblemHttpResult>> Get(string alertId, HttpContext http, IClusterClient grains)
    {
        var caller = Jurisdiction.Of(http.User);
        var query = grains.GetGrain<IAlertQueryGrain>(0);
        if (await query.Get(alertId) is not { } alert || !AlertAudience.MayRead(caller, alert))
            return Problems.NotFound($"No alert {alertId} within your jurisdiction.").ToResult(http);
        return TypedResults.Ok<object>(new { alert = AlertPayload.From(alert), history = await query.History(alertId) });
    }

    static async Task<Results<Ok<AlertPayload>, ProblemHttpResult>> Acknowledge(
        string alertId, HttpContext http, AlertAcknowledgements acknowledgements, AckRequest? body)
    {
        var caller = Jurisdiction.Of(http.User);
        if (RequestProvenance.TryRead(http, caller, out var by) is { } problem) return problem.ToResult(http);
        var answer = await acknowledgements.Acknowledge(caller, alertId, body?.Note, "note", by);
        return answer.Alert is { } alert ? TypedResults.Ok(alert) : answer.Problem!.ToResult(http);
    }
}
