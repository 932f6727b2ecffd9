using Npgsql;

namespace EpiGrid.Grains.Storage;

/// <summary>
/// The one way this platform opens the event store: from a connection string that may name a primary and its standbys
/// (<c>Host=db1:5432,db2:5432</c>) with the session wanted (<c>Target Session Attributes=read-write</c> for writers,
/// <c>prefer-standby</c> for the history's reads), as libpq's and every PostgreSQL client's strings do. Npgsql 9 builds a
/// multi-host data source only without that attribute and asks for it on a wrapper; this does both, so a connection
/// string means the same here as in psql, and every pool follows the primary after a failover without a restart.
/// </summary>
public static class EventStoreDataSource
{
    public static NpgsqlDataSource Create(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (builder.Host?.Contains(',') != true || builder.TargetSessionAttributes is not { } wanted) return NpgsqlDataSource.Create(connectionString);
        builder.TargetSessionAttributes = null;
        return new NpgsqlDataSourceBuilder(builder.ConnectionString).BuildMultiHost().WithTargetSession(Parse(wanted));
    }

    /// <summary>The attribute as libpq spells it (target_session_attrs).</summary>
    static TargetSessionAttributes Parse(string value) => value.ToLowerInvariant() switch
    {
        "any" => TargetSessionAttributes.Any,
        "read-write" => TargetSessionAttributes.ReadWrite,
        "read-only" => TargetSessionAttributes.ReadOnly,
        "primary" => TargetSessionAttributes.Primary,
        "standby" => TargetSessionAttributes.Standby,
        "prefer-primary" => TargetSessionAttributes.PreferPrimary,
        "prefer-standby" => TargetSessionAttributes.PreferStandby,
        _ => throw new ArgumentException($"Target Session Attributes '{value}' is none of any, read-write, read-only, primary, standby, prefer-primary, prefer-standby."),
    };
}
