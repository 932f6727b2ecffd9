using EpiGrid.Platform;
using EpiGrid.Alerts;

namespace EpiGrid.WebHost.Alerts;

/// <summary>
/// An alert as clients see it, over SignalR and HTTP alike. <paramref name="PrevSeq"/> is set on live pushes only: the
/// alert pushed before this one to the group this copy came through. A client that has not seen it (and has not caught up
/// past it) missed an alert and calls catchUp; null on a push means the server cannot tell, and the client catches up too.
/// <paramref name="Text"/> is the message in English and Chinese (<c>{"en", "zh"}</c>); <paramref name="Message"/> the same
/// joined as "English / 中文", as clients read it before.
/// </summary>
public sealed record AlertPayload(
    string Id, long Seq, string Kind, string Severity, string? CellId, string County, string Message, Bilingual Text,
    DateTimeOffset RaisedAt, DateTimeOffset? DueBy, IReadOnlyDictionary<string, string> Subject,
    string Status, string? AcknowledgedBy, DateTimeOffset? AcknowledgedAt, string? Note, string? EscalatedAs, string RuleVersion,
    long? PrevSeq = null)
{
    public static AlertPayload From(AlertView v) => new(
        v.Alert.Id, v.Seq, v.Alert.Kind, v.Alert.Severity, v.Alert.CellId, v.Alert.County, v.Alert.Message, v.Alert.TextOrJoined,
        v.Alert.RaisedAt, v.Alert.DueBy, v.Alert.Subject, v.Status, v.AcknowledgedBy, v.AcknowledgedAt, v.Note,
        v.EscalatedAs, v.Alert.RuleVersion);
}
