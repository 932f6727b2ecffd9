using EpiGrid.Audit;
using EpiGrid.Grains.Storage;
using EpiGrid.Cells;
using EpiGrid.Counties;
using EpiGrid.Counties.Rules;
using EpiGrid.Platform;

namespace EpiGrid.Grains.History;

/// <summary>Why a county had its colour (<see cref="ColourExplanation"/>), replayed from the events.</summary>
public sealed class ColourExplanations(Replay replay, IEventHistory history)
{
    public async Task<ColourExplanation> Explain(string code, RuleSetVersions ruleSet, Moment moment, CancellationToken cancellationToken)
    {
        var county = (await replay.Load(code, moment.KnownAt, cancellationToken))[code];
        var start = county.Events.Count == 0 ? moment.AsOf : county.Events[0].Data!.Meta.OccurredAt.AddTicks(-1);
        county.AdvanceTo(start);
        var current = county.Judge(ruleSet, start);
        DateTimeOffset? since = null;
        DecisionAt? before = null;
        IReadOnlyList<StoredEvent> movedBy = [];
        var newRules = false;
        foreach (var at in county.ChangePoints(start, moment.AsOf))
        {
            var applied = county.AdvanceTo(at);
            var decision = county.Judge(ruleSet, at);
            if (decision.Level == current.Level && decision.Colour == current.Colour) { current = decision; continue; }
            // A cell's control moves no colour: not among the events that did.
            (since, before, movedBy) = (at, new DecisionAt(at, current.Level.Name(), current.Colour, current.Inputs),
                applied.Where(e => e.Data is not CellControlChanged).ToList());
            newRules = decision.RuleVersion != current.RuleVersion;
            current = decision;
        }
        county.AdvanceTo(moment.AsOf);
        var final = county.Judge(ruleSet, moment.AsOf);
        return new ColourExplanation(code, final.RuleSet, final.RuleVersion, moment.AsOf, moment.KnownAt,
            final.Level.Name(), final.Colour, final.Reasons, final.Inputs, since, before,
            since is null ? "nothing: the county never had another colour" : movedBy.Count > 0 ? "events" : newRules ? "rules" : "time",
            movedBy.Select(Describe).ToList(), await Recorded(code, ruleSet.Name, moment, cancellationToken));
    }

    async Task<CountyColourChanged?> Recorded(string code, string ruleSet, Moment moment, CancellationToken cancellationToken)
    {
        CountyColourChanged? last = null;
        await foreach (var e in history.Stream(StreamKeys.County(code), cancellationToken))
            if (e.Data is CountyColourChanged c && c.RuleSet == ruleSet && moment.Includes(c)) last = c;
        return last;
    }

    static InputEvent Describe(StoredEvent e) => new(e.Seq, e.Stream, e.Version, e.Kind, e.Data!.Meta.Actor, e.Data.Meta.Source,
        e.Data.Meta.OccurredAt, e.Data.Meta.RecordedAt, e.Data);
}
