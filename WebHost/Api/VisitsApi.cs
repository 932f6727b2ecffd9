using EpiGrid.Alerts;
using EpiGrid.People;
using EpiGrid.WebHost.Alerts;
using EpiGrid.WebHost.Api.Requests;
using EpiGrid.Cells;
using EpiGrid.Platform;

namespace EpiGrid.WebHost.Api;

/// <summary>
/// A grid worker's visit at the door (issue 19): a fact of the person visited, or of the cell when no person is named,
/// recorded once per client-chosen visit id. It answers the task alert it names through the one acknowledgement path
/// (<see cref="AlertAcknowledgements"/>), after the visit is committed; a resend of the same visit completes that step if
/// its first attempt could not.
/// </summary>
public static class VisitsApi
{
    public sealed record VisitRequest(
        string? VisitId, string? PersonRef, string? AlertId, string? VisitedAt, string? Outcome, bool? QuarantineKept,
        decimal? Temperature, List<string>? Symptoms, string? Note);

    /// <param name="Alert">The alert the visit answered, as it now stands (null when it named none).</param>
    /// <param name="Code">The person's code after the visit (null for a cell's visit); reasons as the caller may see them.</param>
    public sealed record VisitAccepted(
        string VisitId, string CellId, string? PersonRef, string Outcome, bool Duplicate, AlertPayload? Alert, PersonsApi.CodeResponse? Code);

    /// <summary>Our choices: an outbox may send a visit days late, but not after a quarantine's length.</summary>
    public static readonly TimeSpan MaxLateness = TimeSpan.FromDays(14);
    public const int MaxNoteLength = 400;

    public static RouteGroupBuilder MapVisitsApi(this RouteGroupBuilder api)
    {
        api.MapPost("/cells/{cellId}/visits", Record).WithTags("Cells").WithName("recordVisit")
            .WithSummary("A visit at the door (found, not-home, moved-away, refused) to a person of the cell or to the cell; resolves the task alert it answers; once per visitId.")
            .Produces<VisitAccepted>(StatusCodes.Status201Created).Produces<VisitAccepted>().ProducesProblems(400, 403, 404, 503);
        return api;
    }

    static async Task<IResult> Record(string cellId, VisitRequest? body, HttpContext http, IClusterClient grains, Province province,
        AlertAcknowledgements acknowledgements, [FromKeyedServices(Clocks.Domain)] TimeProvider clock)
    {
        var caller = Jurisdiction.Of(http.User);
        if (CellTarget.Check(cellId, CellAccess.Visit, caller, province) is { } refused) return refused.ToResult(http);
        if (RequestProvenance.TryRead(http, caller, out var by) is { } badSource) return badSource.ToResult(http);
        var now = clock.GetUtcNow();
        var visit = Read(body, by, now);
        if (visit.Report is not { } report) return visit.Errors.ToProblem().ToResult(http);

        // Everything the visit names is checked before anything is recorded: nothing half-written.
        var person = report.PersonRef is { } personRef ? grains.GetGrain<IPersonGrain>(personRef) : null;
        if (person is not null && await person.CellOf() != cellId)
            return Problems.NotFound($"No person {report.PersonRef} on record in cell {cellId}.", "personRef").ToResult(http);
        if (report.AlertId is { } alertId && await Answerable(alertId, report, cellId, caller, grains) is { } badAlert) return badAlert.ToResult(http);

        CommandResult result;
        CodeView? code = null;
        if (person is not null) (result, code) = await person.RecordVisit(report, cellId);
        else result = (await grains.GetGrain<ICellGrain>(cellId).Execute([new RecordCellVisit(by, report)]))[0];
        if (CommandOutcomes.ProblemOf(result) is { } problem) return problem.ToResult(http);

        AlertPayload? answered = null;
        if (report.AlertId is not null)
        {
            // After the commit: an alert is never resolved by a visit that was not recorded. A resend runs this again (the
            // ledger answers an alert acknowledged already as it stands).
            var note = $"Visit {report.VisitId}: {report.Outcome}" + (report.Note is { } n ? $"; {n}" : "");
            var answer = await acknowledgements.Acknowledge(caller, report.AlertId, note, "alertId", by);
            if (answer.Alert is null)
                return Problems.Unavailable($"The visit is recorded, but alert {report.AlertId} could not be resolved yet ({answer.Problem?.Detail}); "
                    + "resend the same visit: a repeat is recognised and resolves it.").ToResult(http);
            answered = answer.Alert;
        }
        var accepted = new VisitAccepted(report.VisitId, cellId, report.PersonRef, report.Outcome, result.Outcome == Outcome.Unchanged, answered,
            PersonsApi.ToResponse(code, caller));
        return result.Outcome == Outcome.Created ? TypedResults.Created((string?)null, accepted) : TypedResults.Ok(accepted);
    }

    /// <summary>
    /// The alert a visit answers: one the caller may acknowledge, of this cell, and, when it names a person, of the person
    /// visited. Another jurisdiction's alert is answered as a missing one (as <see cref="AlertAcknowledgements"/> does).
    /// </summary>
    static async Task<ProblemDetails?> Answerable(string alertId, VisitReport report, string cellId, Jurisdiction caller, IClusterClient grains)
    {
        if (await grains.GetGrain<IAlertQueryGrain>(0).Get(alertId) is not { } alert || !AlertAudience.MayRead(caller, alert))
            return Problems.NotFound($"No alert {alertId} within your jurisdiction.", "alertId");
        if (!AlertAudience.MayAcknowledge(caller, alert)) return Problems.Forbidden(AlertAudience.RefusalOf(caller));
        if (alert.Alert.CellId != cellId) return Problems.Invalid("alertId", $"Alert {alertId} is not a task of cell {cellId}.");
        if (alert.Alert.Subject.TryGetValue("personRef", out var of) && of != report.PersonRef)
            return Problems.Invalid("alertId", $"Alert {alertId} is about another person than the one visited.");
        return null;
    }

    sealed record Checked(FieldErrors Errors, VisitReport? Report);

    static FieldErrors Invalid(string field, string message)
    {
        var errors = new FieldErrors();
        errors.Add(field, message);
        return errors;
    }

    /// <summary>The body checked field by field: every field at fault is named at once.</summary>
    static Checked Read(VisitRequest? body, Provenance by, DateTimeOffset now)
    {
        if (body is null) return new(Invalid("body", "Required: the visit."), null);
        var errors = new FieldErrors();
        var visitId = Fields.Id(errors, "visitId", body.VisitId);
        if (body.PersonRef is { } personRef && !PersonsApi.PersonRefPattern(personRef))
            errors.Add("personRef", "Must be a person reference such as p3f2a...");
        var alertId = body.AlertId is null ? null : Fields.Text(errors, "alertId", body.AlertId, 300);
        var at = Fields.Moment(errors, "visitedAt", body.VisitedAt, now);
        if (at < now - MaxLateness) errors.Add("visitedAt", $"A visit may be sent late, but not more than {MaxLateness.TotalDays:0} days late.");
        var outcome = Fields.OneOf(errors, "outcome", body.Outcome, VisitRules.Outcomes);
        if (body.Temperature is { } temperature && Readings.Temperature(errors, temperature) && outcome is not null and not VisitRules.Found)
            errors.Add("temperature", "Taken only from a person found at the visit.");
        var symptoms = Readings.Symptoms(errors, body.Symptoms);
        if (symptoms is { Count: > 0 } && outcome is not null and not VisitRules.Found) errors.Add("symptoms", "Seen only in a person found at the visit.");
        var note = Fields.Text(errors, "note", body.Note, MaxNoteLength, required: false);
        if (errors.Any) return new(errors, null);
        return new(errors, new VisitReport(by, visitId!, body.PersonRef, alertId, at!.Value, outcome!, body.QuarantineKept, body.Temperature,
            symptoms!, note));
    }
}
