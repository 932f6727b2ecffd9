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

/// <summary>An alert as rules draft it, before the ledger gives it its place in the sequence.</summary>
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
    [property: Id(10)] string RuleVersion);

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
