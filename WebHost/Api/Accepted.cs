namespace EpiGrid.WebHost.Api;

// Bodies of successful writes. "duplicate" is true when the request repeated one already recorded (200, not 201).

public sealed record CellAccepted(string CellId, long Version, bool Duplicate);

public sealed record CaseAccepted(
    string CellId, string CaseId, long Version, bool Duplicate,
    // The person the case is, when the report named one by idNumber or personRef (issue 16).
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] string? PersonRef = null);

public sealed record TravellerAccepted(string CellId, string TravellerId, long Version, bool Duplicate);

/// <summary>A cell's control as the request set it (a repeat: as it stands, the same), with the cell's version.</summary>
public sealed record ControlAccepted(string CellId, string Level, string Reason, DateTimeOffset? Until, long Version, bool Duplicate);
