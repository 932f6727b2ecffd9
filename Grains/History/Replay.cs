using EpiGrid.Audit;
using EpiGrid.Geography;
using EpiGrid.Grains.Storage;
using EpiGrid.Cells;
using EpiGrid.Counties;
using EpiGrid.Counties.Rules;
using EpiGrid.Platform;
using EpiGrid.Provinces;

namespace EpiGrid.Grains.History;

/// <summary>Cells, counties and the province as they stood at a <see cref="Moment"/>, rebuilt from the events alone.</summary>
public sealed class Replay(IEventHistory history, Province province, RuleBook rules)
{
    public async Task<CellView?> Cell(string cellId, Moment moment, CancellationToken cancellationToken)
    {
        var state = new CellState(cellId);
        var applied = false;
        await foreach (var e in history.Stream(StreamKeys.Cell(cellId), cancellationToken))
        {
            if (e.Data is null || !moment.Includes(e.Data)) continue;
            state.Apply(e.Data, e.Version);
            applied = true;
        }
        return applied ? state.ToView(moment.AsOf) : null;
    }

    /// <summary>A person as they stood at the moment: their events folded with the live <see cref="PersonState"/>, judged by the same code rules.</summary>
    public async Task<EpiGrid.People.PersonCodeHistory?> PersonCode(string personRef, Moment moment, CancellationToken cancellationToken)
    {
        var state = new EpiGrid.People.PersonState(personRef);
        await foreach (var e in history.Stream(StreamKeys.Person(personRef), cancellationToken))
            if (e.Data is not null && moment.Includes(e.Data)) state.Apply(e.Data, e.Version);
        if (state.View(moment.AsOf, province.Options.UtcOffset) is not { } code) return null;
        return new EpiGrid.People.PersonCodeHistory(personRef, code.MaskedId, state.CellId, moment.AsOf, moment.KnownAt, code.Colour, code.Reason,
            code.ValidUntil, code.RuleVersion, code.RequiredDays, code.NormalDaysInARow, EpiGrid.People.PersonCodeHistory.FactsOf(state, province.Options.UtcOffset));
    }

    public async Task<CountyView> County(string code, Moment moment, CancellationToken cancellationToken)
    {
        var replays = await Load(code, moment.KnownAt, cancellationToken);
        return View(replays[code], moment);
    }

    public async Task<ProvinceView> Province(Moment moment, CancellationToken cancellationToken)
    {
        var replays = await Load(null, moment.KnownAt, cancellationToken);
        var views = province.Counties.Select(c => View(replays[c.Code], moment)).ToList();
        return new ProvinceView(views, CountyProjection.ColourCounts(views, rules), rules.Default.Name, moment.AsOf);
    }

    CountyView View(CountyReplay replay, Moment moment)
    {
        replay.AdvanceTo(moment.AsOf);
        return replay.View(moment.AsOf, rules);
    }

    /// <summary>
    /// Every county's replay (or one county's), from the events recorded up to <paramref name="knownAt"/>. Only the
    /// events that move a county's figures are read, so the cost follows the outbreak, not the size of the grid.
    /// </summary>
    public async Task<Dictionary<string, CountyReplay>> Load(string? county, DateTimeOffset knownAt, CancellationToken cancellationToken)
    {
        var byCounty = new Dictionary<string, List<StoredEvent>>(StringComparer.Ordinal);
        await foreach (var e in history.CountyInputs(county, cancellationToken))
        {
            if (e.Data is null || e.Data.Meta.RecordedAt > knownAt) continue;
            var code = EpiGrid.Geography.Province.CountyOfCell(StreamKeys.IdOf(e.Stream, StreamKind.Cell)!);
            if (!byCounty.TryGetValue(code, out var list)) byCounty[code] = list = [];
            list.Add(e);
        }
        return province.Counties.Where(c => county is null || c.Code == county).ToDictionary(c => c.Code,
            c => new CountyReplay(c, province.Options.UtcOffset, byCounty.GetValueOrDefault(c.Code) ?? []), StringComparer.Ordinal);
    }
}
