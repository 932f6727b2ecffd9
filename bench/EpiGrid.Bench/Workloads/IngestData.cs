using System.Text.Json;
using EpiGrid.Simulator.Outbreak;
using EpiGrid.Simulator.Runner;
using EpiGrid.Cells;
using EpiGrid.Platform;

namespace EpiGrid.Bench.Workloads;

/// <summary>
/// The rows every ingest measurement writes: arrivals and case reports of a simulated outbreak (seeded per run),
/// as API items for EpiGrid and as the very events EpiGrid would store for the baselines.
/// </summary>
public sealed class IngestData
{
    public IngestData(BenchContext ctx, int seed, int count)
    {
        Reports = OutbreakModel.Generate(new OutbreakOptions { Seed = seed, Travellers = count, Cells = ctx.SeededCells }, ctx.Counties)
            .Where(r => r is TravellerArrival or CaseReport).Take(count).ToList();
        // Every report in the past: the platform refuses a time in the future (an outbreak of these sizes spans about five
        // weeks, so a fixed 14 days back sent a share of the reports with future times, answered 400 and counted as failed).
        Origin = DateTimeOffset.UtcNow - (Reports.Count == 0 ? TimeSpan.Zero : Reports.Max(r => r.At)) - TimeSpan.FromHours(1);
    }

    public IReadOnlyList<SimReport> Reports { get; }
    public DateTimeOffset Origin { get; }

    /// <summary>Fresh ids for each use, so no measurement meets another's rows.</summary>
    public ApiItems Items(string use) => new($"b{DateTimeOffset.UtcNow.ToUnixTimeMilliseconds():x}{use}", Origin);

    /// <summary>Serialised batch bodies of at most <paramref name="size"/> items.</summary>
    public List<(byte[] Body, int Count)> Batches(string use, int size, int count)
    {
        var items = Items(use);
        return Reports.Take(count).Chunk(size)
            .Select(chunk => (JsonSerializer.SerializeToUtf8Bytes(new JsonObject
            {
                ["items"] = new JsonArray(chunk.Select(r => (JsonNode)items.For(r)!).ToArray()),
            }), chunk.Length))
            .ToList();
    }

    /// <summary>Path and serialised body of each report on its single-report endpoint.</summary>
    public List<(string Path, byte[] Body)> Singles(string use, int count)
    {
        var items = Items(use);
        return Reports.Take(count).Select(r => items.Single(r)!.Value)
            .Select(s => (s.Path, JsonSerializer.SerializeToUtf8Bytes(s.Body))).ToList();
    }

    /// <summary>The events EpiGrid records for these reports, with their stream keys.</summary>
    public List<(string Stream, IEpiEvent Event)> Events(string use, int count)
    {
        var items = Items(use);
        var now = DateTimeOffset.UtcNow;
        return Reports.Take(count).Select(r => (StreamKeys.Cell(r.CellId), r switch
        {
            TravellerArrival t => (IEpiEvent)new TravellerArrived(items.Id(t.TravellerId), t.CellId, t.CellId[..6], t.OriginArea,
                t.OriginRisk, t.Mode, t.Quarantine, new EventMeta("bench", "simulator", Origin + t.At, now)),
            CaseReport c => new CaseReported(items.Id(c.CaseId), c.CellId, c.CellId[..6], c.Kind, c.Local, c.ClusterId,
                new EventMeta("bench", "simulator", Origin + c.At, now)),
            _ => throw new InvalidOperationException(),
        })).ToList();
    }
}
