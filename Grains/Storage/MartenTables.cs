namespace EpiGrid.Grains.Storage;

/// <summary>
/// What EpiGrid relies on in Marten's own tables when it writes or reads them by hand (<see cref="EventRows"/>, the
/// register rebuild, the event chain, the county version sums): their names, columns and the keys whose violations
/// mean a stream conflict. Marten owns these tables and may rename a column in any release; the SQL takes its names
/// from here and <see cref="MartenTableCheck"/> checks them all at start, so a Marten upgrade that changed one stops
/// the silo with a clear message instead of failing (or, worse, half-writing) the first group commit.
/// </summary>
public static class MartenTables
{
    /// <summary>The Marten release these names were read from (Directory.Packages.props).</summary>
    public const string MartenVersion = "9.58.0";

    public const string Events = MartenSetup.Schema + ".mt_events";
    public const string Streams = MartenSetup.Schema + ".mt_streams";
    public const string EventSequence = MartenSetup.Schema + ".mt_events_sequence";

    /// <summary>Columns of <c>mt_events</c>.</summary>
    public static class E
    {
        public const string SeqId = "seq_id", Id = "id", StreamId = "stream_id", Version = "version", Data = "data",
            BData = "bdata", Type = "type", TenantId = "tenant_id", Timestamp = "timestamp", DotNetType = "mt_dotnet_type",
            IsArchived = "is_archived";
    }

    /// <summary>Columns of <c>mt_streams</c>.</summary>
    public static class S
    {
        public const string Id = "id", Type = "type", Version = "version", Timestamp = "timestamp", TenantId = "tenant_id";
    }

    /// <summary>The keys that guard streams (<see cref="EventRows.IsStreamConflict"/>).</summary>
    public const string StreamsPrimaryIndex = "pkey_mt_streams_id", StreamVersionIndex = "pk_mt_events_stream_and_version",
        EventStreamConstraint = "fkey_mt_events_stream_id";

    /// <summary>Every column relied on, with the PostgreSQL types (information_schema <c>data_type</c>) that fit how it is used.</summary>
    public static readonly IReadOnlyList<(string Table, string Column, string[] Types)> Columns =
    [
        ("mt_events", E.SeqId, ["bigint"]),
        ("mt_events", E.Id, ["uuid"]),
        ("mt_events", E.StreamId, ["character varying", "text"]),
        ("mt_events", E.Version, ["bigint"]),
        ("mt_events", E.Data, ["jsonb"]),
        ("mt_events", E.BData, ["bytea"]),
        ("mt_events", E.Type, ["character varying", "text"]),
        ("mt_events", E.TenantId, ["character varying", "text"]),
        ("mt_events", E.Timestamp, ["timestamp with time zone"]),
        ("mt_events", E.DotNetType, ["character varying", "text"]),
        ("mt_events", E.IsArchived, ["boolean"]),
        ("mt_streams", S.Id, ["character varying", "text"]),
        ("mt_streams", S.Type, ["character varying", "text"]),
        ("mt_streams", S.Version, ["bigint"]),
        ("mt_streams", S.Timestamp, ["timestamp with time zone"]),
        ("mt_streams", S.TenantId, ["character varying", "text"]),
    ];

    /// <summary>Constraints (or unique indexes) relied on, by table.</summary>
    public static readonly IReadOnlyList<(string Table, string Name)> Keys =
    [
        ("mt_streams", StreamsPrimaryIndex), ("mt_events", StreamVersionIndex), ("mt_events", EventStreamConstraint),
    ];

    /// <summary>Sequences relied on.</summary>
    public static readonly IReadOnlyList<string> Sequences = ["mt_events_sequence"];
}
