using EpiGrid.Grains.Storage;
using EpiGrid.Cells;
using EpiGrid.Platform;

namespace EpiGrid.Grains.Cells;

/// <summary>Turns a cell's new events into one atomic write: the events plus the registers they update.</summary>
public static class CellWrites
{
    public static StreamWrite For(CellState before, CellState after, IReadOnlyList<IEpiEvent> events)
    {
        var inserts = new List<object>();
        var upserts = new List<object> { RecordOf(after) };
        foreach (var caseId in events.Select(CellState.CaseIdOf).OfType<string>().Distinct())
        {
            var record = CaseRecord.From(after.Cases[caseId], after.County, after.PersonOf(caseId));
            // A new case id must not exist anywhere yet: inserting (not upserting) makes the store refuse a
            // case id already used in another cell.
            if (before.Cases.ContainsKey(caseId)) upserts.Add(record);
            else inserts.Add(record);
        }
        return new StreamWrite(StreamKeys.Cell(after.CellId), before.Version, events, inserts, upserts);
    }

    /// <summary>The cell's register row as it stands in <paramref name="state"/> (the live write and the rebuild alike).</summary>
    public static CellRecord RecordOf(CellState state) => new()
    {
        Id = state.CellId, County = state.County, Name = state.Name, Households = state.Households,
        Travellers = state.Travellers.Count, Version = state.Version, Control = state.Control,
    };

    /// <summary>Every case's register row as it stands in <paramref name="state"/> (what the live writes left, case by case).</summary>
    public static IEnumerable<CaseRecord> CaseRecordsOf(CellState state) => state.Cases.Values.Select(f => CaseRecord.From(f, state.County, state.PersonOf(f.CaseId)));
}
