using EpiGrid.Events;

namespace EpiGrid.WebHost.Audit;

public sealed record InputEvent(long Seq, string Stream, long Version, string Kind, string Actor, string Source,
    DateTimeOffset OccurredAt, DateTimeOffset RecordedAt, object Data);

public sealed record DecisionAt(DateTimeOffset At, string Level, string Colour, IReadOnlyDictionary<string, double> Inputs);

/// <summary>
/// Why a county had a colour: the decision (rule set, version, reasons, inputs), since when it held, what it was
/// before, and what moved the inputs across the threshold: the events applied at that moment, or, when there are
/// none, the calendar ("time": a 7- or 14-day window closed at midnight). <see cref="Recorded"/> is the colour
/// change the live county recorded for this rule set, with its own explanation, as it was known then.
/// </summary>
public sealed record ColourExplanation(
    string County, string RuleSet, string RuleVersion, DateTimeOffset At, DateTimeOffset KnownAt,
    string Level, string Colour, IReadOnlyList<string> Reasons, IReadOnlyDictionary<string, double> Inputs,
    DateTimeOffset? Since, DecisionAt? Before, string MovedBy, IReadOnlyList<InputEvent> Events, CountyColourChanged? Recorded);

public sealed class ColourExplanations(Replay replay, AuditStore store)
{
    public async Task<ColourExplanation> Explain(string code, IColourRuleSet ruleSet, Moment moment, CancellationToken cancellationToken)
    {
        var county = (await replay.Load(code, moment.KnownAt, cancellationToken))[code];
        var start = county.Events.Count == 0 ? moment.AsOf : county.Events[0].Data!.Meta.OccurredAt.AddTicks(-1);
        county.AdvanceTo(start);
        var current = ruleSet.Evaluate(county.Indicators(start));
        DateTimeOffset? since = null;
        DecisionAt? before = null;
        IReadOnlyList<StoredEvent> movedBy = [];
        foreach (var at in county.ChangePoints(start, moment.AsOf))
        {
            var applied = county.AdvanceTo(at);
            var decision = ruleSet.Evaluate(county.Indicators(at));
            if (decision.Level == current.Level && decision.Colour == current.Colour) { current = decision; continue; }
            (since, before, movedBy) = (at, new DecisionAt(at, current.Level.Name(), current.Colour, current.Inputs), applied);
            current = decision;
        }
        county.AdvanceTo(moment.AsOf);
        var final = ruleSet.Evaluate(county.Indicators(moment.AsOf));
        return new ColourExplanation(code, final.RuleSet, final.RuleVersion, moment.AsOf, moment.KnownAt,
            final.Level.Name(), final.Colour, final.Reasons, final.Inputs, since, before,
            since is null ? "nothing: the county never had another colour" : movedBy.Count > 0 ? "events" : "time",
            movedBy.Select(Describe).ToList(), await Recorded(code, ruleSet.Name, moment, cancellationToken));
    }

    async Task<CountyColourChanged?> Recorded(string code, string ruleSet, Moment moment, CancellationToken cancellationToken)
    {
        CountyColourChanged? last = null;
        await foreach (var e in store.Read("stream_id = @stream", [new("stream", StreamKeys.County(code))], "version", cancellationToken))
            if (e.Data is CountyColourChanged c && c.RuleSet == ruleSet && moment.Includes(c)) last = c;
        return last;
    }

    static InputEvent Describe(StoredEvent e) => new(e.Seq, e.Stream, e.Version, e.Kind, e.Data!.Meta.Actor, e.Data.Meta.Source,
        e.Data.Meta.OccurredAt, e.Data.Meta.RecordedAt, e.Data);
}
