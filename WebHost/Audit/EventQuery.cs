using EpiGrid.Events;
using Npgsql;

namespace EpiGrid.WebHost.Audit;

/// <summary>Which time an audit filter reads: when it happened in the world, or when EpiGrid recorded it.</summary>
public enum TimeAxis { Occurred, Recorded }

/// <summary>
/// A filter over the stored events, turned into SQL with parameters: one stream, a county's streams, a person
/// (case or traveller id), kinds, and a time window on either axis. The county it is confined to, if any, is
/// what access is checked against.
/// </summary>
public sealed class EventQuery
{
    readonly List<string> clauses = ["true"];
    readonly List<NpgsqlParameter> parameters = [];

    public string? County { get; private set; }
    /// <summary>True when the query reaches beyond one county (whole province, audit trails, other streams).</summary>
    public bool ProvinceWide => County is null;

    public string Where => string.Join(" and ", clauses);
    public IReadOnlyList<NpgsqlParameter> Parameters => parameters;

    public static EventQuery Build(string? stream, string? county, string? person, string? kinds,
        DateTimeOffset? from, DateTimeOffset? to, TimeAxis axis, FieldErrors errors)
    {
        // People write their own offset (+08:00); PostgreSQL's timestamptz parameters take UTC only.
        (from, to) = (from?.ToUniversalTime(), to?.ToUniversalTime());
        var q = new EventQuery();
        if (!string.IsNullOrWhiteSpace(stream))
        {
            q.Add("stream_id = @stream", "stream", stream);
            StreamKeys.TryParse(stream, out var kind, out var id);
            if (kind == StreamKind.Cell && Province.IsCellId(id)) q.County = Province.CountyOfCell(id);
            else if (kind == StreamKind.County) q.County = id;
        }
        if (!string.IsNullOrWhiteSpace(county))
        {
            if (q.County is not null && q.County != county) errors.Add("county", $"Stream {stream} is not in county {county}.");
            q.Add("(stream_id = @countyStream or stream_id like @cellStreams)", "countyStream", StreamKeys.County(county));
            q.parameters.Add(new NpgsqlParameter("cellStreams", StreamKeys.Cell(county + "-%")));
            q.County = county;
        }
        if (!string.IsNullOrWhiteSpace(person))
            q.Add("(data->>'caseId' = @person or data->>'travellerId' = @person)", "person", person);
        if (!string.IsNullOrWhiteSpace(kinds))
            q.Add("type = any(@kinds)", "kinds", kinds.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));
        var field = axis == TimeAxis.Recorded ? "recordedAt" : "occurredAt";
        if (from is not null) q.Add($"(data->'meta'->>'{field}')::timestamptz >= @from", "from", from.Value);
        if (to is not null) q.Add($"(data->'meta'->>'{field}')::timestamptz < @to", "to", to.Value);
        if (from is not null && to is not null && from >= to) errors.Add("to", "Must be after from.");
        return q;
    }

    void Add(string clause, string name, object value)
    {
        clauses.Add(clause);
        parameters.Add(new NpgsqlParameter(name, value));
    }
}
