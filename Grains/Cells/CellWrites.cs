using EpiGrid.Grains.Storage;

namespace EpiGrid.Grains.Cells;

/// <summary>Turns a cell's new events into one atomic write: the events plus the registers they update.</summary>
static class CellWrites
{
    public static StreamWrite For(CellState before, CellState after, IReadOnlyList<IEpiEvent> events)
    {
        var inserts = new List<object>();
        var upserts = new List<object>
        {
            new CellRecord
            {
                Id = after.CellId, County = after.County, Name = after.Name, Households = after.Households,
                Travellers = after.Travellers.Count, Version = after.Version,
            },
        };
        foreach (var caseId in events.Select(CellState.CaseIdOf).OfType<string>().Distinct())
        {
            var record = CaseRecord.From(after.Cases[caseId], after.County);
            // A new case id must not exist anywhere yet: inserting (not upserting) makes the store refuse a
            // case id already used in another cell.
            if (before.Cases.ContainsKey(caseId)) upserts.Add(record);
            else inserts.Add(record);
        }
        return new StreamWrite(StreamKeys.Cell(after.CellId), before.Version, events, inserts, upserts);
    }
}
