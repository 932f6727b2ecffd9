using EpiGrid.Platform;

namespace EpiGrid.WebHost.Audit;

/// <summary>
/// An audit filter read from a request, checked field by field: the <see cref="EventFilter"/> the silo reads with, and the
/// county it is confined to, if any, which is what access is checked against.
/// </summary>
public sealed record EventQuery(EventFilter Filter, string? County)
{
    /// <summary>True when the query reaches beyond one county (whole province, audit trails, other streams).</summary>
    public bool ProvinceWide => County is null;

    public static EventQuery Build(string? stream, string? county, string? person, string? kinds,
        DateTimeOffset? from, DateTimeOffset? to, TimeAxis axis, FieldErrors errors)
    {
        string? confinedTo = null;
        stream = string.IsNullOrWhiteSpace(stream) ? null : stream;
        if (stream is not null)
        {
            StreamKeys.TryParse(stream, out var kind, out var id);
            if (kind == StreamKind.Cell && Province.IsCellId(id)) confinedTo = Province.CountyOfCell(id);
            else if (kind == StreamKind.County) confinedTo = id;
        }
        county = string.IsNullOrWhiteSpace(county) ? null : county;
        if (county is not null)
        {
            if (confinedTo is not null && confinedTo != county) errors.Add("county", $"Stream {stream} is not in county {county}.");
            confinedTo = county;
        }
        var kindList = string.IsNullOrWhiteSpace(kinds) ? null
            : kinds.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (from is not null && to is not null && from >= to) errors.Add("to", "Must be after from.");
        return new EventQuery(new EventFilter(stream, county, string.IsNullOrWhiteSpace(person) ? null : person, kindList, from, to, axis), confinedTo);
    }
}
