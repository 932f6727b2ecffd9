using EpiGrid.Cells;
using EpiGrid.Platform;

namespace EpiGrid.People;

/// <summary>Options of the traveller work (section "Travellers").</summary>
public sealed record TravellerOptions
{
    public const string Section = "Travellers";
    /// <summary>Two reports of a person arriving from the same area within this window are one journey.</summary>
    public TimeSpan SameJourneyWindow { get; init; } = TimeSpan.FromHours(12);
    /// <summary>How often the quarantine watch looks for days that ended without a check-in.</summary>
    public TimeSpan WatchInterval { get; init; } = TimeSpan.FromMinutes(1);
}

/// <summary>What a report does to a person. Pure.</summary>
public static class PersonDecider
{
    public sealed record Decision(IReadOnlyList<IEpiEvent> Events, CommandResult Result, string? ArrivalId, bool Corroborated, bool NewArrival,
        bool Applied = true);

    /// <summary>The cell's command for a person's new arrival: the quarantine its origin asks for.</summary>
    public static RegisterTraveller TravellerOf(ReportArrival report, string arrivalId, DateTimeOffset now, TimeSpan utcOffset)
    {
        var colour = HealthCodeRules.Evaluate(
            EpiGrid.People.Arrival.ExposuresOf(report.ArrivedAt, report.OriginArea, report.OriginRisk, report.CloseContactOf, report.Symptoms).ToList(), [], now, utcOffset);
        var quarantine = colour.Colour == "green" ? "none" : $"{report.Quarantine ?? "home"}, {colour.Colour}, {colour.RequiredDays} days";
        return new RegisterTraveller(report.By, arrivalId, report.OriginArea, report.OriginRisk, report.ArrivedAt, report.Mode, quarantine);
    }

    /// <summary>A person's state after events, with the code change they cause appended (the state given is not changed).</summary>
    public static (PersonState Working, List<IEpiEvent> All) Settle(
        PersonState state, IReadOnlyList<IEpiEvent> events, DateTimeOffset now, TimeSpan utcOffset, Provenance by)
    {
        var working = state.Clone();
        var all = events.ToList();
        foreach (var e in events) working.Apply(e, working.Version + 1);
        if (CodeChange(working, now, utcOffset, new EventMeta(by.Actor, "health-code-rules", now, now, HealthCodeRules.Version, by.CorrelationId)) is { } change)
        {
            working.Apply(change, working.Version + 1);
            all.Add(change);
        }
        return (working, all);
    }

    public static Decision Arrival(PersonState state, ReportArrival r, string county, DateTimeOffset now, TravellerOptions options)
    {
        if (state.ArrivalFrom(r.From) is { } known)
            return new([], new CommandResult(Outcome.Unchanged, known.ArrivalId, Version: state.Version), known.ArrivalId, false, false);
        var meta = new EventMeta(r.By.Actor, r.By.Source, r.ArrivedAt, now, $"{r.From.Source} record {r.From.RecordId}", r.By.CorrelationId);
        if (state.Known && !(r.Authority ?? ReportAuthority.NewPersonsOnly).Covers(state.CellId))
            return state.NotAppliedFrom(r.From)
                ? new([], new CommandResult(Outcome.Unchanged, null, Version: state.Version), null, false, false, Applied: false)
                : new([new ArrivalReportNotApplied(state.PersonRef, r.CellId, county, state.CellId!, r.OriginArea, r.OriginRisk, r.Mode, r.From,
                        meta with { Reason = $"{meta.Reason}; not applied: the person is on record in {state.CellId}, outside the reporter's jurisdiction" },
                        r.CloseContactOf, r.Symptoms is { Count: > 0 } declared ? declared : null)],
                    new CommandResult(Outcome.Created, null), null, false, false, Applied: false);
        var same = state.Arrivals.FirstOrDefault(a =>
            string.Equals(a.OriginArea.Trim(), r.OriginArea.Trim(), StringComparison.OrdinalIgnoreCase)
            && (a.ArrivedAt - r.ArrivedAt).Duration() <= options.SameJourneyWindow);
        if (same is not null)
            return new([new ArrivalCorroborated(state.PersonRef, same.ArrivalId, r.From, meta)],
                new CommandResult(Outcome.Updated, same.ArrivalId), same.ArrivalId, true, false);
        var id = $"{state.PersonRef}-{state.Arrivals.Count + 1}";
        return new([new ArrivalReported(state.PersonRef, id, r.MaskedId, r.Name, r.MaskedPhone, r.PhoneHash, r.OriginArea, r.OriginRisk,
                r.Mode, r.CellId, county, r.From, meta, r.Quarantine, r.CloseContactOf, r.Symptoms is { Count: > 0 } s ? s : null)],
            new CommandResult(Outcome.Created, id), id, false, true);
    }

    /// <summary>
    /// A grid worker's visit to the person (issue 19), in the cell they are on record in: recorded once per visit id (a
    /// resend changes nothing), its not-home count taken from the person's earlier visits. A reading taken at it is a
    /// check-in (<see cref="VisitRules.CheckInOf"/>): <see cref="Settle"/> moves the code by the same rules.
    /// </summary>
    public static Decision Visit(PersonState state, VisitReport v, string cellId, string county, DateTimeOffset now)
    {
        if (state.VisitFrom(v.VisitId) is { } known)
            return new([], new CommandResult(Outcome.Unchanged, known.VisitId, Version: state.Version), null, false, false);
        if (!state.Known || state.CellId != cellId)
            return new([], CommandResult.Rejected(Outcome.NotFound, "personRef", $"No person {state.PersonRef} on record in cell {cellId}"), null, false, false);
        return new([VisitRules.Record(v, cellId, county, state.Visits, now)], new CommandResult(Outcome.Created, v.VisitId), null, false, false);
    }

    /// <summary>
    /// One of the person's cases as the cell now holds it: recorded when new or changed (a link older than the status held,
    /// or the same again, changes nothing). A person not on record becomes one only with their masked identity.
    /// </summary>
    public static Decision Case(PersonState state, PersonCaseLink link, DateTimeOffset now)
    {
        var held = state.Cases.GetValueOrDefault(link.CaseId);
        if (held is not null && (held.StatusAt > link.StatusAt
                                 || (held.Kind == link.Kind && held.Status == link.Status && held.StatusAt == link.StatusAt)))
            return new([], new CommandResult(Outcome.Unchanged, state.PersonRef, Version: state.Version), null, false, false);
        if (!state.Known && link.MaskedId is null)
            return new([], CommandResult.Rejected(Outcome.NotFound, "personRef", $"No person {state.PersonRef} on record"), null, false, false);
        var cell = state.CellId ?? link.CaseCellId;
        var meta = new EventMeta(link.By.Actor, link.By.Source, link.StatusAt, now,
            $"case {link.CaseId} in cell {link.CaseCellId}: {link.Kind.Name()}, {link.Status.Name()}", link.By.CorrelationId);
        return new([new PersonCaseRecorded(state.PersonRef, link.CaseId, link.CaseCellId, link.Kind, link.Status, link.ReportedAt,
                cell, state.County ?? EpiGrid.Geography.Province.CountyOfCell(cell), state.MaskedId ?? link.MaskedId, meta)],
            new CommandResult(held is null ? Outcome.Created : Outcome.Updated, state.PersonRef), null, false, false);
    }

    /// <summary>
    /// A close contact of a case: recorded once per source record. The person stays where they are on record; a person new
    /// to the platform is put under watch in the cell the report names.
    /// </summary>
    public static Decision Contact(PersonState state, ReportContact r, DateTimeOffset now)
    {
        if (state.ContactFrom(r.From) is not null)
            return new([], new CommandResult(Outcome.Unchanged, state.PersonRef, Version: state.Version), null, false, false);
        var cell = state.CellId ?? r.CellId;
        var meta = new EventMeta(r.By.Actor, r.By.Source, r.LastContactAt, now,
            $"close contact of case {r.CaseId} ({r.Setting}); {r.From.Source} record {r.From.RecordId}", r.By.CorrelationId);
        if (r.ContactOf is not null)
            meta = meta with { Reason = $"contact of close contact {r.ContactOf} (case {r.CaseId}, {r.Setting}); {r.From.Source} record {r.From.RecordId}" };
        return new([new ContactRecorded(state.PersonRef, r.CaseId, r.CaseCounty, state.MaskedId ?? r.MaskedId, r.Name, r.MaskedPhone, r.PhoneHash,
                cell, state.County ?? EpiGrid.Geography.Province.CountyOfCell(cell), r.Setting, r.From, meta, r.ContactOf is null ? 1 : 2, r.ContactOf)],
            new CommandResult(Outcome.Created, state.PersonRef), null, false, false);
    }

    /// <summary>
    /// An itinerary (issue 16): its stays recorded once per source record, and what spatial screening finds of them against
    /// the colour history of their counties (<paramref name="spells"/>, the default rule set's).
    /// </summary>
    public static Decision Stays(PersonState state, ReportStays r, IReadOnlyList<ColourSpell> spells, Func<string, string> countyName, DateTimeOffset now)
    {
        if (!state.Known)
            return new([], CommandResult.Rejected(Outcome.NotFound, "personRef", $"No person {state.PersonRef} on record"), null, false, false);
        if (state.StaysFrom(r.From))
            return new([], new CommandResult(Outcome.Unchanged, state.PersonRef, Version: state.Version), null, false, false);
        var events = new List<IEpiEvent>();
        foreach (var stay in r.Stays)
            events.Add(new StayRecorded(state.PersonRef, stay, r.From, state.CellId!, state.County!,
                new EventMeta(r.By.Actor, r.By.Source, stay.From, now, $"stay in {stay.Place}; {r.From.Source} record {r.From.RecordId}", r.By.CorrelationId),
                spells.Where(x => x.County == stay.County).Select(x => x.Version).DefaultIfEmpty(0).Max()));
        var noted = new HashSet<(string, long, DateTimeOffset)>();
        foreach (var stay in r.Stays)
            foreach (var (spell, at) in SpatialScreening.Screen(stay, spells))
                if (!state.Noted(spell.County, spell.Version, stay.From) && noted.Add((spell.County, spell.Version, stay.From)))
                    events.Add(Noted(state, spell, stay, at, countyName(spell.County), r.By, now));
        return new(events, new CommandResult(Outcome.Created, state.PersonRef), null, false, false);
    }

    /// <summary>
    /// A citizen's own declaration (issue 16). The first, or one from the phone of the first, is recorded with its itinerary
    /// (screened as any itinerary is); its facts only add to the code. One from another phone is kept for the cell's workers
    /// to verify, once per phone, and changes nothing else (<c>Disputed</c>).
    /// </summary>
    public static (Decision Decision, bool Disputed) Declare(PersonState state, Declaration d, IReadOnlyList<ColourSpell> spells,
        Func<string, string> countyName, DateTimeOffset now)
    {
        var meta = new EventMeta(d.By.Actor, d.By.Source, now, now, $"self-declaration {d.DeclarationId}", d.By.CorrelationId);
        var cell = state.CellId ?? d.CellId;
        var county = state.County ?? EpiGrid.Geography.Province.CountyOfCell(cell);
        if (state.DeclaredPhone is { } first && first != d.PhoneHash)
        {
            if (state.DisputedFrom(d.PhoneHash))
                return (new([], new CommandResult(Outcome.Unchanged, state.PersonRef, Version: state.Version), null, false, false), true);
            var firstPhone = state.Declarations[0].MaskedPhone;
            return (new([new SelfDeclarationDisputed(state.PersonRef, state.MaskedId ?? d.MaskedId, d.MaskedPhone, d.PhoneHash, firstPhone, cell, county,
                    d.CellId, d.Symptoms, d.ContactWithCase, d.Stays.Count,
                    meta with { Reason = $"{meta.Reason}: from another phone than the first declaration's ({firstPhone}); kept for the cell's workers to verify" })],
                new CommandResult(Outcome.Created, state.PersonRef), null, false, false), true);
        }
        var declared = new SelfDeclared(state.PersonRef, state.MaskedId ?? d.MaskedId, d.Name, d.MaskedPhone, d.PhoneHash, cell, county, d.CellId,
            d.Symptoms, d.ContactWithCase, meta);
        var events = new List<IEpiEvent> { declared };
        if (d.Stays.Count > 0)
        {
            var declaredState = state.Clone();
            declaredState.Apply(declared, declaredState.Version + 1);
            events.AddRange(Stays(declaredState, new ReportStays(d.By, new ReportSource(SelfDeclarationSource, d.DeclarationId), d.Stays), spells, countyName, now).Events);
        }
        return (new(events, new CommandResult(Outcome.Created, state.PersonRef), null, false, false), false);
    }

    /// <summary>The source of what citizens declare themselves: an itinerary's source record is the declaration.</summary>
    public const string SelfDeclarationSource = "self-declaration";

    /// <summary>A county the person stayed in changed colour: what spatial screening finds of it against their stays.</summary>
    public static Decision PlaceTurned(PersonState state, ColourSpell spell, string countyName, DateTimeOffset now)
    {
        var by = new Provenance("epigrid", "spatial-screening");
        var events = state.Stays.Select(s => s.Stay).Distinct()
            .SelectMany(stay => SpatialScreening.Screen(stay, [spell]).Select(x => (Stay: stay, x.At)))
            .Where(x => !state.Noted(spell.County, spell.Version, x.Stay.From))
            .Select(x => (IEpiEvent)Noted(state, spell, x.Stay, x.At, countyName, by, now))
            .ToList();
        return new(events, new CommandResult(events.Count == 0 ? Outcome.Unchanged : Outcome.Created, state.PersonRef, Version: state.Version),
            null, false, false);
    }

    static PlaceRiskNoted Noted(PersonState state, ColourSpell spell, Stay stay, DateTimeOffset at, string countyName, Provenance by, DateTimeOffset now) =>
        new(state.PersonRef, spell.County, countyName, spell.Colour, spell.Since, spell.RuleSet, spell.RuleVersion, spell.Version,
            stay.From, stay.To, state.CellId!,
            new EventMeta(by.Actor, by.Source, at, now,
                $"stayed in {countyName} ({spell.County}) {stay.From:yyyy-MM-dd}–{stay.To:yyyy-MM-dd}; the county was {spell.Colour} under {spell.RuleSet} from {spell.Since:O} (spatial screening)",
                by.CorrelationId));

    /// <summary>A new code event when the colour (or its rule version) changed since the last one recorded.</summary>
    public static HealthCodeChanged? CodeChange(PersonState state, DateTimeOffset now, TimeSpan utcOffset, EventMeta meta)
    {
        var code = state.Code(now, utcOffset);
        return state.LastCode is { } last && last.Colour == code.Colour && last.RuleVersion == code.RuleVersion
            ? null
            : new HealthCodeChanged(state.PersonRef, code.Colour, code.Reason, code.ValidUntil, code.RequiredDays, code.RuleVersion, state.CellId ?? "", meta,
                state.LastCode?.Colour);
    }
}
