using Npgsql;
using Xunit.Abstractions;

namespace EpiGrid.Tests.Chaos;

/// <summary>
/// Alerts expected from what the platform acknowledged and recorded, against the alert register, kind by kind: how
/// many are expected, stored, lost (expected, not stored) and raised more than once.
/// </summary>
public sealed record AlertVerdict(string Scenario, IReadOnlyList<AlertVerdict.Kind> Kinds, string Notes)
{
    public sealed record Kind(string Name, int Expected, int Stored, int Lost, int Duplicates, IReadOnlyList<string> LostIds);

    public int Lost => Kinds.Sum(k => k.Lost);
    public int Duplicates => Kinds.Sum(k => k.Duplicates);

    public string Line => $"{Scenario}: lost {Lost}, duplicates {Duplicates}; "
        + string.Join(", ", Kinds.Select(k => $"{k.Name} expected {k.Expected} stored {k.Stored} lost {k.Lost} dup {k.Duplicates}"))
        + (Notes.Length > 0 ? "; " + Notes : "");

    /// <summary>
    /// What must exist: an urgent alert per acknowledged fever check-in, a missed-day alert per recorded miss, a visit
    /// task per recorded high- or medium-risk arrival, and an escalation per alert whose due time passed
    /// <paramref name="escalatedBy"/> ago (nobody acknowledges in the scenario). Ids are those the rules derive.
    /// </summary>
    public static async Task<AlertVerdict> Read(string scenario, string store, IEnumerable<string> feverAlertIds, TimeSpan escalatedBy, string notes)
    {
        await using var conn = new NpgsqlConnection(store + ";Pooling=false");
        await conn.OpenAsync();
        async Task<List<(string A, string B)>> Rows(string sql)
        {
            await using var cmd = new NpgsqlCommand(sql, conn);
            await using var reader = await cmd.ExecuteReaderAsync();
            var rows = new List<(string, string)>();
            while (await reader.ReadAsync()) rows.Add((reader.GetString(0), reader.IsDBNull(1) ? "" : reader.GetString(1)));
            return rows;
        }
        var expected = new Dictionary<string, HashSet<string>>
        {
            ["check-in-symptoms"] = feverAlertIds.ToHashSet(),
            ["check-in-missed"] = (await Rows("select data->>'personRef', data->>'day' from epigrid.mt_events where type = 'check_in_missed'"))
                .Select(r => $"missed:{r.A}:{DateOnly.Parse(r.B):yyyyMMdd}").ToHashSet(),
            ["traveller-visit"] = (await Rows("select data->>'cellId', data->>'travellerId' from epigrid.mt_events where type = 'traveller_arrived' and data->>'originRisk' in ('high', 'medium')"))
                .Select(r => $"visit:{r.A}:{r.B}").ToHashSet(),
            ["escalation"] = (await Rows($"select id, '' from epigrid.mt_doc_alertrecord where (data->>'dueBy')::timestamptz < now() - interval '{(int)escalatedBy.TotalSeconds} seconds'"))
                .Select(r => $"escalation:{r.A}").ToHashSet(),
        };
        var stored = (await Rows("select id, data->'alert'->>'kind' from epigrid.mt_doc_alertrecord")).ToLookup(r => r.B, r => r.A);
        var raisedTwice = (await Rows("select substr(stream_id, 7), count(*)::text from epigrid.mt_events where type = 'alert_raised' group by stream_id having count(*) > 1"))
            .Select(r => r.A).ToHashSet();
        var kinds = expected.Select(e =>
        {
            var have = stored[e.Key].ToHashSet();
            var lost = e.Value.Where(id => !have.Contains(id)).ToList();
            return new Kind(e.Key, e.Value.Count, have.Count, lost.Count, have.Count(raisedTwice.Contains), lost.Take(5).ToList());
        }).ToList();
        return new AlertVerdict(scenario, kinds, notes + (raisedTwice.Count > 0 ? $"; raised twice: {string.Join(" ", raisedTwice.Take(5))}" : ""));
    }

    public void Report(ITestOutputHelper output)
    {
        output.WriteLine(Line);
        Console.WriteLine("CHAOS " + Line);
        if (Environment.GetEnvironmentVariable("EPIGRID_CHAOS_SUMMARY") is { Length: > 0 } file)
            File.AppendAllText(file, Line + Environment.NewLine);
    }
}
