using EpiGrid.Alerts;
using EpiGrid.Platform;

namespace EpiGrid.WebHost.Alerts;

/// <summary>
/// The one way an alert is acknowledged, over HTTP (<c>POST /alerts/{id}/ack</c>) and over the hub (<c>ack</c>) alike:
/// the alert is read once to decide who may acknowledge it, the note gets <see cref="AckNote"/>'s rule, and the ledger
/// answers with the alert as it now stands (no second read). Another jurisdiction's alert is answered as a missing
/// one, so that ids (<c>case:&lt;cell&gt;:&lt;case&gt;</c>) reveal nothing.
/// </summary>
public sealed class AlertAcknowledgements(IClusterClient grains)
{
    /// <summary>
    /// The alert after the acknowledgement, or the problem that refused it (the field at fault named);
    /// <paramref name="BadNote"/>: why the note was refused, when it was.
    /// </summary>
    public sealed record Answer(AlertPayload? Alert, ProblemDetails? Problem, string? BadNote = null);

    /// <param name="rawNote">The note as sent; <paramref name="noteField"/> is what the caller called it.</param>
    public async Task<Answer> Acknowledge(Jurisdiction caller, string alertId, string? rawNote, string noteField, Provenance by)
    {
        if (AckNote.Check(rawNote, out var note) is { } badNote) return new(null, Problems.Invalid(noteField, badNote), badNote);
        if (await grains.GetGrain<IAlertQueryGrain>(0).Get(alertId) is not { } alert || !AlertAudience.MayRead(caller, alert))
            return new(null, Problems.NotFound($"No alert {alertId} within your jurisdiction."));
        if (!AlertAudience.MayAcknowledge(caller, alert)) return new(null, Problems.Forbidden(AlertAudience.RefusalOf(caller)));
        var answer = await grains.GetGrain<IAlertLedgerGrain>(0).Acknowledge(alertId, by, note);
        if (CommandOutcomes.ProblemOf(answer.Result) is { } refused) return new(null, refused);
        return answer.Alert is { } now
            ? new(AlertPayload.From(now), null)
            : new(null, Problems.Unavailable("The alert ledger did not say how the alert stands; retry."));
    }
}
