using Marten;
using Npgsql;

namespace EpiGrid.Grains.Alerts;

/// <summary>
/// The province-wide alert sequence as the store holds it. Its numbers are unique (a unique index on
/// <see cref="AlertRecord.Seq"/>, <c>MartenSetup</c>): two ledger activations that overlap during a fail-over cannot
/// both give one number away; the second is refused and raises its alert again under a new number.
/// </summary>
static class AlertSequence
{
    public static async Task<long> Highest(IDocumentStore store, CancellationToken cancellationToken = default)
    {
        await using var session = store.QuerySession();
        return await session.Query<AlertRecord>().OrderByDescending(a => a.Seq).Select(a => a.Seq).FirstOrDefaultAsync(cancellationToken);
    }

    /// <summary>Whether a refused insert broke the sequence's unique index (not the alert id's key).</summary>
    public static bool Taken(Exception e)
    {
        for (var x = e; x is not null; x = x.InnerException)
            if (x is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } p && p.ConstraintName?.EndsWith("_seq", StringComparison.Ordinal) == true)
                return true;
        return false;
    }
}
