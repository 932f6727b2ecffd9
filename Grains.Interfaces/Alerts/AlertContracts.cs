using EpiGrid.Platform;

namespace EpiGrid.Alerts;

/// <summary>
/// The groups an alert is addressed to. A user belongs to groups by the claims of their token: a grid worker to
/// "cell:&lt;id&gt;" of each cell and "county:&lt;code&gt;" of their cells' counties, a county official to "county:&lt;code&gt;"
/// and "county-officials:&lt;code&gt;", a province official, auditor or admin to "province".
/// </summary>
public static class AlertGroups
{
    public const string Province = "province";
    public static string Cell(string cellId) => "cell:" + cellId;
    public static string County(string code) => "county:" + code;
    public static string CountyOfficials(string code) => "county-officials:" + code;
}

/// <summary>
/// An alert as rules draft it, before the ledger gives it its place in the sequence. <see cref="Text"/> is the message
/// in English and Chinese; <see cref="Message"/> the same joined as "English / 中文", kept for the clients that read it.
/// Alerts raised before <see cref="Text"/> existed have none: <see cref="TextOrJoined"/> reads their message.
/// </summary>
[GenerateSerializer, Immutable, Alias("epigrid.alert-draft")]
public sealed record AlertDraft(
    [property: Id(0)] string Id,
    [property: Id(1)] string Kind,
    [property: Id(2)] string Severity,
    [property: Id(3)] string? CellId,
    [property: Id(4)] string County,
    [property: Id(5)] string Message,
    [property: Id(6)] DateTimeOffset RaisedAt,
    [property: Id(7)] DateTimeOffset? DueBy,
    [property: Id(8)] IReadOnlyDictionary<string, string> Subject,
    [property: Id(9)] IReadOnlyList<string> Audience,
    [property: Id(10)] string RuleVersion,
    [property: Id(11)] Bilingual? Text = null)
{
    /// <summary>A draft whose message is <paramref name="text"/>, in both fields.</summary>
    public static AlertDraft Of(string id, string kind, string severity, string? cellId, string county, Bilingual text,
        DateTimeOffset raisedAt, DateTimeOffset? dueBy, IReadOnlyDictionary<string, string> subject, IReadOnlyList<string> audience, string ruleVersion) =>
        new(id, kind, severity, cellId, county, text.Joined, raisedAt, dueBy, subject, audience, ruleVersion, text);

    [System.Text.Json.Serialization.JsonIgnore] public Bilingual TextOrJoined => Text ?? Bilingual.FromJoined(Message);
}

/// <summary>An alert with its place in the province-wide sequence and where it stands now.</summary>
[GenerateSerializer, Immutable, Alias("epigrid.alert-view")]
public sealed record AlertView(
    [property: Id(0)] AlertDraft Alert,
    [property: Id(1)] long Seq,
    [property: Id(2)] string Status,
    [property: Id(3)] string? AcknowledgedBy,
    [property: Id(4)] DateTimeOffset? AcknowledgedAt,
    [property: Id(5)] string? Note,
    [property: Id(6)] string? EscalatedAs);

public static class AlertStatus
{
    public const string Open = "open";
    public const string Acknowledged = "acknowledged";
}

public static class Severities
{
    public const string Urgent = "urgent";
    public const string High = "high";
    public const string Task = "task";
    public const string Info = "info";
}
