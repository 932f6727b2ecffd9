namespace EpiGrid.Client;

/// <summary>An alert as the hub sends it (method "alert") and catchUp returns it.</summary>
public sealed record Alert(
    string Id, long Seq, string Kind, string Severity, string? CellId, string County, string Message,
    DateTimeOffset RaisedAt, DateTimeOffset? DueBy, IReadOnlyDictionary<string, string> Subject,
    string Status, string? AcknowledgedBy, DateTimeOffset? AcknowledgedAt, string? Note, string? EscalatedAs, string RuleVersion);
