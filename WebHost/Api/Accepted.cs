namespace EpiGrid.WebHost.Api;

// Bodies of successful writes. "duplicate" is true when the request repeated one already recorded (200, not 201).

public sealed record CellAccepted(string CellId, long Version, bool Duplicate);

public sealed record CaseAccepted(string CellId, string CaseId, long Version, bool Duplicate);

public sealed record TravellerAccepted(string CellId, string TravellerId, long Version, bool Duplicate);
