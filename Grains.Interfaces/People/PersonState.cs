using EpiGrid.Cells;

namespace EpiGrid.People;

/// <summary>One journey, with every source that reported it.</summary>
public sealed record Arrival(string ArrivalId, string OriginArea, string OriginRisk, DateTimeOffset ArrivedAt, string Mode, string CellId, IReadOnlyList<ReportSource> Sources,
    string? Quarantine = null, string? CloseContactOf = null, IReadOnlyList<string>? Symptoms = null)
{
    /// <summary>What the health code rules judge of an arrival: its origin's risk, a close contact, declared symptoms.</summary>
    public static IEnumerable<Exposure> ExposuresOf(DateTimeOffset at, string originArea, string originRisk, string? closeContactOf, IReadOnlyList<string>? symptoms)
    {
        if (originRisk is "high" or "medium")
            yield return new Exposure(at, originRisk == "high" ? ExposureKind.ArrivalFromHighRisk : ExposureKind.ArrivalFromMediumRisk, originArea);
        if (closeContactOf is not null) yield return new Exposure(at, ExposureKind.CloseContact, closeContactOf);
        if (symptoms is { Count: > 0 }) yield return new Exposure(at, ExposureKind.SymptomsDeclared, string.Join(", ", symptoms));
    }
}

/// <summary>One of a person's cases as it stands now: what their code judges of it.</summary>
public sealed record PersonCase(string CaseId, string CaseCellId, CaseKind Kind, CaseStatus Status, DateTimeOffset ReportedAt, DateTimeOffset StatusAt);

/// <summary>A person's state, folded from their events. Pure: used by the live grain and by replay alike.</summary>
public sealed class PersonState(string personRef)
{
    readonly List<Arrival> arrivals = [];
    readonly List<CheckIn> checkIns = [];
    readonly HashSet<DateOnly> missed = [];
    readonly HashSet<ReportSource> notApplied = [];
    readonly Dictionary<string, PersonCase> cases = new(StringComparer.Ordinal);
    readonly List<ContactRecorded> contacts = [];
    readonly List<StayRecorded> stays = [];
    readonly List<PlaceRiskNoted> placeRisks = [];
    readonly List<SelfDeclared> declarations = [];
    readonly List<VisitRecorded> visits = [];
    readonly HashSet<string> disputedPhones = new(StringComparer.Ordinal);

    public string PersonRef { get; } = personRef;
    public string? MaskedId { get; private set; }
    public string? CellId { get; private set; }
    public string? County { get; private set; }
    public long Version { get; private set; }
    public IReadOnlyList<Arrival> Arrivals => arrivals;
    public IReadOnlyList<CheckIn> CheckIns => checkIns;
    /// <summary>The grid workers' visits (issue 19), in the order recorded.</summary>
    public IReadOnlyList<VisitRecorded> Visits => visits;

    /// <summary>The visit recorded under this client id, if any (the idempotency of visits).</summary>
    public VisitRecorded? VisitFrom(string visitId) => visits.FirstOrDefault(v => v.VisitId == visitId);
    public IReadOnlySet<DateOnly> MissedDays => missed;
    public HealthCodeChanged? LastCode { get; private set; }
    public IReadOnlyDictionary<string, PersonCase> Cases => cases;
    /// <summary>On record: reported arriving, named by a case, named as a contact, or self-declared.</summary>
    public bool Known => arrivals.Count > 0 || cases.Count > 0 || contacts.Count > 0 || declarations.Count > 0;
    /// <summary>The person's own declarations (issue 16), from the phone of the first.</summary>
    public IReadOnlyList<SelfDeclared> Declarations => declarations;
    /// <summary>The keyed hash of the phone the identity number was first declared from; null when never declared.</summary>
    public string? DeclaredPhone => declarations.Count > 0 ? declarations[0].PhoneHash : null;

    /// <summary>Whether a declaration from this other phone was already kept for verification.</summary>
    public bool DisputedFrom(string phoneHash) => disputedPhones.Contains(phoneHash);
    public IReadOnlyList<ContactRecorded> Contacts => contacts;
    /// <summary>Where the person has been, from their itineraries (issue 16).</summary>
    public IReadOnlyList<StayRecorded> Stays => stays;
    /// <summary>What spatial screening found of their stays.</summary>
    public IReadOnlyList<PlaceRiskNoted> PlaceRisks => placeRisks;

    /// <summary>Whether an itinerary from this source record is on record (the idempotency of itineraries).</summary>
    public bool StaysFrom(ReportSource source) => stays.Any(s => s.From == source);

    /// <summary>Whether screening already noted this colour change of the county against this stay.</summary>
    public bool Noted(string county, long countyVersion, DateTimeOffset stayFrom) =>
        placeRisks.Any(p => p.County == county && p.CountyVersion == countyVersion && p.StayFrom == stayFrom);

    /// <summary>The contact recorded from this source record, if any (the idempotency of contact reports).</summary>
    public ContactRecorded? ContactFrom(ReportSource source) => contacts.FirstOrDefault(c => c.From == source);

    public IReadOnlyList<Exposure> Exposures => arrivals
        .SelectMany(a => Arrival.ExposuresOf(a.ArrivedAt, a.OriginArea, a.OriginRisk, a.CloseContactOf, a.Symptoms))
        .Concat(contacts.Select(c => c.Degree > 1
            ? new Exposure(c.Meta.OccurredAt, ExposureKind.SecondaryContact, $"{c.ContactOf}, of case {c.CaseId}")
            : new Exposure(c.Meta.OccurredAt, ExposureKind.CloseContact, c.CaseId)))
        .Concat(placeRisks.Select(p => new Exposure(p.Meta.OccurredAt, SpatialScreening.RiskOf(p.Colour) ?? ExposureKind.PlaceMediumRisk,
            $"{p.CountyName} ({p.County}), {p.Colour} under {p.RuleSet} from {p.ColourSince:yyyy-MM-dd HH:mm}Z")))
        .Concat(declarations.SelectMany(d => Declared(d)))
        .ToList();

    /// <summary>What a declaration adds: the symptoms and the contact with a case its holder declared, from the moment of declaring.</summary>
    static IEnumerable<Exposure> Declared(SelfDeclared d)
    {
        if (d.Symptoms.Count > 0) yield return new Exposure(d.Meta.OccurredAt, ExposureKind.SymptomsDeclared, $"self-declared: {string.Join(", ", d.Symptoms)}");
        if (d.ContactWithCase) yield return new Exposure(d.Meta.OccurredAt, ExposureKind.CloseContact, "self-declared");
    }

    public Arrival? ArrivalFrom(ReportSource source) => arrivals.FirstOrDefault(a => a.Sources.Contains(source));

    /// <summary>Whether a report from this source record was already kept without being applied.</summary>
    public bool NotAppliedFrom(ReportSource source) => notApplied.Contains(source);

    public PersonState Clone()
    {
        var copy = new PersonState(PersonRef) { MaskedId = MaskedId, CellId = CellId, County = County, Version = Version, LastCode = LastCode };
        copy.arrivals.AddRange(arrivals);
        copy.checkIns.AddRange(checkIns);
        copy.missed.UnionWith(missed);
        copy.notApplied.UnionWith(notApplied);
        foreach (var (id, c) in cases) copy.cases[id] = c;
        copy.contacts.AddRange(contacts);
        copy.stays.AddRange(stays);
        copy.placeRisks.AddRange(placeRisks);
        copy.declarations.AddRange(declarations);
        copy.visits.AddRange(visits);
        copy.disputedPhones.UnionWith(disputedPhones);
        return copy;
    }

    public void Apply(object @event, long version)
    {
        switch (@event)
        {
            case ArrivalReported e:
                arrivals.Add(new Arrival(e.ArrivalId, e.OriginArea, e.OriginRisk, e.Meta.OccurredAt, e.Mode, e.CellId, [e.From], e.Quarantine, e.CloseContactOf, e.DeclaredSymptoms));
                (MaskedId, CellId, County) = (e.MaskedId, e.CellId, e.County);
                break;
            case ArrivalCorroborated e when arrivals.FindIndex(a => a.ArrivalId == e.ArrivalId) is var i and >= 0:
                arrivals[i] = arrivals[i] with { Sources = [.. arrivals[i].Sources, e.From] };
                break;
            case ArrivalReportNotApplied e:
                notApplied.Add(e.From);
                break;
            case CheckInRecorded e:
                checkIns.Add(new CheckIn(e.Meta.OccurredAt, e.TemperatureCelsius, e.Symptoms));
                break;
            case VisitRecorded e:
                visits.Add(e);
                if (VisitRules.CheckInOf(e) is { } reading) checkIns.Add(reading);
                break;
            case CheckInMissed e:
                missed.Add(e.Day);
                break;
            case HealthCodeChanged e:
                LastCode = e;
                break;
            case ContactRecorded e:
                contacts.Add(e);
                (MaskedId, CellId, County) = (MaskedId ?? e.MaskedId, CellId ?? e.CellId, County ?? e.County);
                break;
            case StayRecorded e:
                stays.Add(e);
                break;
            case PlaceRiskNoted e:
                placeRisks.Add(e);
                break;
            case SelfDeclared e:
                declarations.Add(e);
                (MaskedId, CellId, County) = (MaskedId ?? e.MaskedId, CellId ?? e.CellId, County ?? e.County);
                break;
            case SelfDeclarationDisputed e:
                disputedPhones.Add(e.PhoneHash);
                break;
            case PersonCaseRecorded e:
                cases[e.CaseId] = new PersonCase(e.CaseId, e.CaseCellId, e.Kind, e.Status, e.ReportedAt, e.Meta.OccurredAt);
                (MaskedId, CellId, County) = (MaskedId ?? e.MaskedId, CellId ?? e.CellId, County ?? e.County);
                break;
        }
        Version = version;
    }

    public HealthCode Code(DateTimeOffset now, TimeSpan utcOffset) => HealthCodeRules.Evaluate(Exposures, checkIns, now, utcOffset, cases.Values);

    public CodeView? View(DateTimeOffset now, TimeSpan utcOffset)
    {
        if (!Known || MaskedId is null) return null;
        var code = Code(now, utcOffset);
        return new CodeView(PersonRef, code.Colour, code.Reason, code.ValidUntil, MaskedId!, code.RuleVersion, code.RequiredDays, code.NormalDaysInARow, CellId);
    }
}
