using EpiGrid.Tests.Infrastructure;

namespace EpiGrid.Tests.Audit;

/// <summary>
/// The test's own reading of the raw event rows, written without the platform's domain code: cases and their status
/// changes from JSON, and national-3 as the State Council worded it, so replay is checked against a second opinion.
/// </summary>
sealed class RawCases
{
    static readonly TimeSpan Zhejiang = TimeSpan.FromHours(8);

    sealed record Report(string CaseId, string County, string Kind, string? Cluster, DateTimeOffset OccurredAt);
    sealed record StatusChange(string CaseId, string To, DateTimeOffset OccurredAt, long Seq);

    readonly List<Report> reports;
    readonly List<StatusChange> changes;

    RawCases(List<Report> reports, List<StatusChange> changes) => (this.reports, this.changes) = (reports, changes);

    public static async Task<RawCases> Read(TestDatabase db)
    {
        var reports = await db.Rows("""
            select data->>'caseId', data->>'county', data->>'kind', data->>'clusterId', data->'meta'->>'occurredAt'
            from epigrid.mt_events where type = 'case_reported'
            """, r => new Report(r.GetString(0), r.GetString(1), r.GetString(2), r.IsDBNull(3) ? null : r.GetString(3), DateTimeOffset.Parse(r.GetString(4))));
        var changes = await db.Rows("""
            select data->>'caseId', data->>'to', data->'meta'->>'occurredAt', seq_id
            from epigrid.mt_events where type = 'case_status_changed'
            """, r => new StatusChange(r.GetString(0), r.GetString(1), DateTimeOffset.Parse(r.GetString(2)), r.GetInt64(3)));
        return new RawCases(reports, changes);
    }

    IEnumerable<Report> ConfirmedCases(DateTimeOffset at) => reports.Where(r =>
        r.OccurredAt <= at && r.Kind.Equals("confirmed", StringComparison.OrdinalIgnoreCase)
        && !changes.Where(c => c.CaseId == r.CaseId && c.OccurredAt <= at).OrderBy(c => c.OccurredAt).ThenBy(c => c.Seq)
            .Select(c => c.To).LastOrDefault("active").Equals("ruledOut", StringComparison.OrdinalIgnoreCase));

    public int ConfirmedAt(DateTimeOffset at, string? county = null) => ConfirmedCases(at).Count(r => county is null || r.County == county);

    /// <summary>Counties that are not green under national-3 at the moment, with their colour.</summary>
    public Dictionary<string, string> National3ColoursAt(DateTimeOffset at)
    {
        var today = DateOnly.FromDateTime(at.ToOffset(Zhejiang).DateTime);
        bool Recent(Report r) => today.DayNumber - DateOnly.FromDateTime(r.OccurredAt.ToOffset(Zhejiang).DateTime).DayNumber < 14;
        return ConfirmedCases(at).GroupBy(r => r.County).Where(g => g.Any(Recent)).ToDictionary(g => g.Key, g =>
        {
            var cluster = g.Where(Recent).Where(r => !string.IsNullOrEmpty(r.Cluster)).GroupBy(r => r.Cluster).Any(c => c.Count() >= 2);
            return g.Count() > 50 && cluster ? "red" : "yellow";
        });
    }
}
