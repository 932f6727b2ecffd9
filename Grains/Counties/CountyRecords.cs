using EpiGrid.Grains.Storage;
using Marten;

namespace EpiGrid.Grains.Counties;

/// <summary>Reads what the store holds for a county: the truth a county reconciles with.</summary>
public sealed class CountyRecords(IDocumentStore store)
{
    public async Task<(IReadOnlyList<CaseRecord> Cases, IReadOnlyList<CellRecord> Cells)> ForCounty(string county)
    {
        await using var session = store.QuerySession();
        var cases = await session.Query<CaseRecord>().Where(c => c.County == county).ToListAsync();
        var cells = await session.Query<CellRecord>().Where(c => c.County == county).ToListAsync();
        return (cases, cells);
    }

    /// <summary>
    /// The sum of the county's cell stream versions: one indexed aggregate, no rows sent. Every change of a cell raises
    /// its version, so a county whose own sum is lower has not heard of something the store holds.
    /// </summary>
    public async Task<long> VersionSum(string county)
    {
        await using var session = store.QuerySession();
        return await session.Query<CellRecord>().Where(c => c.County == county).SumAsync(c => c.Version);
    }

    public async Task<(IReadOnlyList<CaseRecord> Cases, IReadOnlyList<CellRecord> Cells)> ForCell(string cellId)
    {
        await using var session = store.QuerySession();
        var cases = await session.Query<CaseRecord>().Where(c => c.CellId == cellId).ToListAsync();
        var cell = await session.LoadAsync<CellRecord>(cellId);
        return (cases, cell is null ? [] : [cell]);
    }

    /// <summary>The colours last recorded for the county, per rule set, and the county stream's version.</summary>
    public async Task<(Dictionary<string, ColourDecision> Colours, long Version)> LastColours(string county)
    {
        await using var session = store.QuerySession();
        var events = await session.Events.FetchStreamAsync(StreamKeys.County(county));
        var colours = new Dictionary<string, ColourDecision>();
        foreach (var e in events.Select(e => e.Data).OfType<CountyColourChanged>())
            colours[e.RuleSet] = new ColourDecision(e.RuleSet, e.RuleVersion, e.Level, e.Colour, e.Reasons, e.Inputs);
        return (colours, events.Count == 0 ? 0 : events[^1].Version);
    }
}
