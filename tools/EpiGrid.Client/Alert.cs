namespace EpiGrid.Client;

/// <summary>
/// An alert as the hub sends it (method "alert") and catchUp returns it. <see cref="PrevSeq"/> comes with pushes only:
/// the alert pushed before this one to the group this copy came through (null: the server could not tell).
/// <see cref="Text"/> is the message in English and Chinese; <see cref="Message"/> the two joined as "English / 中文".
/// </summary>
public sealed record Alert(
    string Id, long Seq, string Kind, string Severity, string? CellId, string County, string Message, AlertText? Text,
    DateTimeOffset RaisedAt, DateTimeOffset? DueBy, IReadOnlyDictionary<string, string> Subject,
    string Status, string? AcknowledgedBy, DateTimeOffset? AcknowledgedAt, string? Note, string? EscalatedAs, string RuleVersion,
    long? PrevSeq = null);

/// <summary>An alert's message in English and in Chinese (absent from servers older than the field).</summary>
public sealed record AlertText(string En, string Zh);
