using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Npgsql;
using Xunit.Abstractions;

namespace EpiGrid.Tests.Chaos;

/// <summary>What a scenario ends with: acknowledged reports against the event store, and the counties against a recomputation from it.</summary>
public sealed record Verdict(string Scenario, int Acknowledged, int Stored, int Lost, TimeSpan ConvergedIn, int Failed, int Requests, string Notes)
{
    public double ErrorShare => Requests == 0 ? 0 : (double)Failed / Requests;

    public string Line => $"{Scenario}: acknowledged {Acknowledged}, stored {Stored}, lost {Lost}, converged-in {ConvergedIn.TotalSeconds:0.0} s, "
        + $"error share {ErrorShare:P1} ({Failed}/{Requests} requests during the fault){(Notes.Length > 0 ? "; " + Notes : "")}";

    /// <summary>Case reports of this run in the store, and the counties' confirmed totals recomputed from every stored report.</summary>
    public static async Task<(HashSet<string> RunCases, Dictionary<string, int> ConfirmedPerCounty)> ReadStore(string connectionString, string prefix)
    {
        // Not pooled: a restarted server leaves pooled connections broken.
        await using var conn = new NpgsqlConnection(connectionString + ";Pooling=false");
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("select data->>'caseId', data->>'county', data->>'kind' from epigrid.mt_events where type = 'case_reported'", conn);
        await using var reader = await cmd.ExecuteReaderAsync();
        var run = new HashSet<string>(StringComparer.Ordinal);
        var perCounty = new Dictionary<string, int>();
        while (await reader.ReadAsync())
        {
            var caseId = reader.GetString(0);
            if (caseId.StartsWith(prefix + "-", StringComparison.Ordinal)) run.Add(caseId);
            if (reader.GetString(2).Equals("confirmed", StringComparison.OrdinalIgnoreCase))
                perCounty[reader.GetString(1)] = perCounty.GetValueOrDefault(reader.GetString(1)) + 1;
        }
        return (run, perCounty);
    }

    /// <summary>How long until every county's confirmed total equals the recomputation (fails after <paramref name="within"/>).</summary>
    public static async Task<TimeSpan> CountiesConverge(HttpClient reader, Dictionary<string, int> expected, TimeSpan within)
    {
        var started = Stopwatch.StartNew();
        var last = "";
        while (started.Elapsed < within)
        {
            try
            {
                var counties = (await reader.GetFromJsonAsync<JsonArray>("/api/v1/counties"))!;
                var wrong = counties.Select(c => c!.AsObject())
                    .Select(c => (Code: c["code"]!.GetValue<string>(), Shown: c["confirmedTotal"]!.GetValue<int>()))
                    .Where(c => c.Shown != expected.GetValueOrDefault(c.Code)).ToList();
                if (wrong.Count == 0) return started.Elapsed;
                last = string.Join(", ", wrong.Take(5).Select(w => $"{w.Code} shows {w.Shown}, store {expected.GetValueOrDefault(w.Code)}"));
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException) { last = e.Message; }
            await Task.Delay(200);
        }
        throw new TimeoutException($"Counties did not converge within {within.TotalSeconds} s: {last}");
    }

    public void Report(ITestOutputHelper output)
    {
        output.WriteLine(Line);
        Console.WriteLine("CHAOS " + Line);
        if (Environment.GetEnvironmentVariable("EPIGRID_CHAOS_SUMMARY") is { Length: > 0 } file)
            File.AppendAllText(file, Line + Environment.NewLine);
    }
}
