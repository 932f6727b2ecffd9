using EpiGrid.Cells;
using EpiGrid.Counties;
using EpiGrid.Counties.Rules;
using EpiGrid.Platform;
using EpiGrid.People;

namespace EpiGrid.Alerts;

/// <summary>When alerts fall due and how often the ledger looks (section "Alerts").</summary>
public sealed record AlertOptions
{
    public const string Section = "Alerts";
    public TimeSpan UrgentAcknowledgeWithin { get; init; } = TimeSpan.FromHours(1);
    public TimeSpan HighAcknowledgeWithin { get; init; } = TimeSpan.FromHours(4);
    public TimeSpan VisitWithin { get; init; } = TimeSpan.FromHours(24);
    /// <summary>A close contact traced and quarantined within this long (issue 16: "within 12 hours").</summary>
    public TimeSpan ContactTraceWithin { get; init; } = TimeSpan.FromHours(12);
    /// <summary>How often overdue alerts are looked for (by the domain clock's reading).</summary>
    public TimeSpan EscalationCheckInterval { get; init; } = TimeSpan.FromSeconds(30);
    /// <summary>How often the ledger re-reads new events from the store to raise any alert a lost message missed.</summary>
    public TimeSpan SweepInterval { get; init; } = TimeSpan.FromMinutes(1);
}

/// <summary>
/// From an event to the alerts it raises: pure and versioned, like the colour rules. Alert ids derive from the
/// event, so raising the same alert twice (live and from the store sweep) is recognised and harmless.
/// </summary>
public static class AlertRules
{
    // .7 (issue 17): a cell put under control, changed or lifted (cell-control) alerts the cell's workers and the county's
    // officials (planned as .5; the colour measures' .6 landed first).
    // .8 (issue 19): a grid worker's visit refused, or not at home for the second time in a row, escalates to the county's
    // officials (visit-escalation); a person moved away is for them to locate (visit-moved-away); a fever or symptoms found
    // at a visit alert as an abnormal check-in does (VisitRules: EpiGrid's reading).
    // .9: an alert's message is kept in English and Chinese as two fields (AlertDraft.Text); an escalation names the
    // overdue alert's text in each language (it quoted the joined message in the English half).
    public const string Version = "2020-02-10.9";

    /// <summary>
    /// The events an alert derives from. The store sweep reads only these from the log (most events, the alerts' own
    /// among them, can raise none), and the rules below answer nothing for any other type, so an event type left out of
    /// this set raises no alert anywhere and its alert's tests fail rather than the sweep missing it quietly.
    /// </summary>
    public static readonly IReadOnlySet<Type> RaisedBy = new HashSet<Type>
    {
        typeof(CaseReported), typeof(TravellerArrived), typeof(CellControlChanged), typeof(VisitRecorded), typeof(CountyColourChanged),
        typeof(AlertEscalated), typeof(CheckInMissed), typeof(CheckInRecorded), typeof(PersonCaseRecorded), typeof(ContactRecorded),
        typeof(PlaceRiskNoted), typeof(SelfDeclared), typeof(SelfDeclarationDisputed), typeof(HealthCodeChanged),
    };

    public static IEnumerable<AlertDraft> ForCellEvent(IEpiEvent e, AlertOptions o) => !RaisedBy.Contains(e.GetType()) ? [] : e switch
    {
        CaseReported { Kind: CaseKind.Confirmed } c => [Case(c, Severities.Urgent, o.UrgentAcknowledgeWithin,
            new($"Confirmed case {c.CaseId} in cell {c.CellId}", "网格内新增确诊病例"))],
        CaseReported c => [Case(c, Severities.High, o.HighAcknowledgeWithin,
            new($"{(c.Kind == CaseKind.Suspected ? "Suspected" : "Asymptomatic")} case {c.CaseId} in cell {c.CellId}", $"网格内新增{(c.Kind == CaseKind.Suspected ? "疑似" : "无症状感染者")}"))],
        TravellerArrived t when t.OriginRisk is "high" or "medium" => [AlertDraft.Of(
            $"visit:{t.CellId}:{t.TravellerId}", "traveller-visit", Severities.Task, t.CellId, t.County,
            new($"Traveller from {t.OriginArea} ({t.OriginRisk} risk): visit and verify within {o.VisitWithin.TotalHours:0} hours",
                $"来自{t.OriginArea}的人员：{o.VisitWithin.TotalHours:0}小时内上门核查"),
            t.Meta.RecordedAt, t.Meta.RecordedAt + o.VisitWithin,
            new Dictionary<string, string> { ["travellerId"] = t.TravellerId, ["originArea"] = t.OriginArea, ["originRisk"] = t.OriginRisk },
            [AlertGroups.Cell(t.CellId)], Version)],
        CellControlChanged c => [Control(c, o)],
        // A visit that named no person is the cell's event, and alerts as a person's visit does.
        VisitRecorded v => ForPersonEvent(v, v.CellId, v.County, o),
        _ => [],
    };

    /// <summary>A cell closed or controlled (high: put it in place) or lifted (info), to the cell's workers and the county's officials.</summary>
    static AlertDraft Control(CellControlChanged c, AlertOptions o)
    {
        var (en, zh) = c.Level switch
        {
            ControlLevel.Closed => ("closed: no one in or out", "封闭管理"),
            ControlLevel.Controlled => ("under control: entry and exit checked", "管控"),
            _ => ("open again: control lifted", "解除管控"),
        };
        var lifted = c.Level == ControlLevel.Open;
        var subject = new Dictionary<string, string> { ["level"] = c.Level.Name(), ["from"] = c.FromLevel.Name() };
        if (c.Until is { } end) subject["until"] = end.ToString("O");
        return AlertDraft.Of($"control:{c.CellId}:{c.Revision}", "cell-control", lifted ? Severities.Info : Severities.High, c.CellId, c.County,
            new($"Cell {c.CellId} {en}{(c.Until is { } until ? $" until {until:yyyy-MM-dd HH:mm}" : "")}: {c.Meta.Reason}", $"网格{zh}：{c.Meta.Reason}"),
            c.Meta.RecordedAt, lifted ? null : c.Meta.RecordedAt + o.HighAcknowledgeWithin,
            subject, [AlertGroups.Cell(c.CellId), AlertGroups.CountyOfficials(c.County)], Version);
    }

    /// <summary>A person's day without check-in, symptoms at a check-in, or the end of their quarantine: to their cell.</summary>
    public static IEnumerable<AlertDraft> ForPersonEvent(IEpiEvent e, string cellId, string county, AlertOptions o) =>
        !RaisedBy.Contains(e.GetType()) ? [] : e switch
    {
        CheckInMissed m => [Person($"missed:{m.PersonRef}:{m.Day:yyyyMMdd}", "check-in-missed", Severities.High, cellId, county,
            new($"No check-in on {m.Day:yyyy-MM-dd}", "未按时打卡"), m.Meta.RecordedAt, m.Meta.RecordedAt + o.HighAcknowledgeWithin, m.PersonRef)],
        CheckInRecorded c when c.Symptoms.Count > 0 || c.TemperatureCelsius >= CheckIn.FeverFrom => [Person(
            $"symptoms:{c.PersonRef}:{c.Meta.OccurredAt.UtcTicks}", "check-in-symptoms", Severities.Urgent, cellId, county,
            new($"Abnormal check-in: {c.TemperatureCelsius} °C {string.Join(", ", c.Symptoms)}", "打卡异常"), c.Meta.RecordedAt,
            c.Meta.RecordedAt + o.UrgentAcknowledgeWithin, c.PersonRef)],
        // A person of the cell became (or stays) an open case, reported in any cell: isolate them and trace their contacts.
        PersonCaseRecorded c when c.Status is not (CaseStatus.RuledOut or CaseStatus.Recovered) => [Person(
            $"case:{c.PersonRef}:{c.CaseId}:{c.Kind.Name()}", "person-case", Severities.Urgent, cellId, county,
            new($"{(c.Kind == CaseKind.Confirmed ? "Confirmed" : c.Kind == CaseKind.Suspected ? "Suspected" : "Asymptomatic")} case {c.CaseId} is a resident of this cell "
                + $"({c.MaskedId ?? "on record"}): isolate, trace close contacts",
                $"本网格人员为{(c.Kind == CaseKind.Confirmed ? "确诊病例" : c.Kind == CaseKind.Suspected ? "疑似病例" : "无症状感染者")}：隔离、追踪密接"),
            c.Meta.RecordedAt, c.Meta.RecordedAt + o.UrgentAcknowledgeWithin, c.PersonRef)],
        // A close contact staying in the cell: find them and put them under quarantine (the cell's workers, the county's officials).
        ContactRecorded { Degree: > 1 } c => [Person($"contact:{c.PersonRef}:{c.From.Source}:{c.From.RecordId}", "contact-trace", Severities.Task, cellId, county,
            new($"Contact of close contact {c.ContactOf} ({c.MaskedId}, {c.Setting}; case {c.CaseId}): inform and watch, yellow code for {HealthCodeRules.YellowDays} days "
                + "(EpiGrid's reading)", "次密接：告知并居家观察"), c.Meta.RecordedAt, c.Meta.RecordedAt + o.VisitWithin, c.PersonRef)],
        // Spatial screening: a person of the cell stayed in a county that is (or was then) red, orange or yellow. One task per
        // stay and level of risk: a county going from orange to red raises no second task for the same stay.
        PlaceRiskNoted p => [Person($"place:{p.PersonRef}:{p.County}:{p.StayFrom.UtcTicks}:{(p.Colour == "yellow" ? "medium" : "high")}", "place-risk", Severities.Task, cellId, county,
            new($"A person of this cell stayed in {p.CountyName} ({p.StayFrom:yyyy-MM-dd}–{p.StayTo:yyyy-MM-dd}), {p.Colour} under {p.RuleSet}: verify and "
                + "watch as the code says", $"本网格人员到访{(p.Colour == "yellow" ? "中" : "高")}风险地区：核实并落实管控"), p.Meta.RecordedAt, p.Meta.RecordedAt + o.VisitWithin, p.PersonRef)],
        ContactRecorded c => [Person($"contact:{c.PersonRef}:{c.From.Source}:{c.From.RecordId}", "contact-trace", Severities.Task, cellId, county,
            new($"Close contact of case {c.CaseId} ({c.MaskedId}, {c.Setting}): trace and quarantine within {o.ContactTraceWithin.TotalHours:0} hours",
                $"密切接触者：{o.ContactTraceWithin.TotalHours:0}小时内追踪并隔离"), c.Meta.RecordedAt, c.Meta.RecordedAt + o.ContactTraceWithin, c.PersonRef)],
        // A citizen declared symptoms or a contact with a case (issue 16): verify and arrange a test or quarantine.
        SelfDeclared d when d.Symptoms.Count > 0 || d.ContactWithCase => [Person($"declared:{d.PersonRef}:{d.Meta.RecordedAt.UtcTicks}", "self-declared-risk",
            d.Symptoms.Count > 0 ? Severities.Urgent : Severities.Task, cellId, county,
            new($"{d.MaskedId} declared {(d.Symptoms.Count > 0 ? "symptoms (" + string.Join(", ", d.Symptoms) + ")" : "")}{(d.Symptoms.Count > 0 && d.ContactWithCase ? " and " : "")}"
                + $"{(d.ContactWithCase ? "contact with a case" : "")}: verify and arrange testing or quarantine",
                $"本网格人员自述{(d.Symptoms.Count > 0 ? "症状" : "")}{(d.ContactWithCase ? "接触病例" : "")}：请核实并安排检测或隔离"), d.Meta.RecordedAt,
            d.Meta.RecordedAt + (d.Symptoms.Count > 0 ? o.UrgentAcknowledgeWithin : o.VisitWithin), d.PersonRef)],
        // The identity number of a person of the cell was declared from another phone than the first: who holds it?
        SelfDeclarationDisputed d => [Person($"declaration:{d.PersonRef}:{d.PhoneHash[..Math.Min(16, d.PhoneHash.Length)]}", "declaration-verify",
            Severities.Task, cellId, county, new($"A self-declaration for {d.MaskedId} came from phone {d.MaskedPhone}, not {d.FirstMaskedPhone} as the first: "
                + "verify who holds this identity number", "同一身份证号由其他手机号申报：请核实本人"), d.Meta.RecordedAt, d.Meta.RecordedAt + o.VisitWithin, d.PersonRef)],
        // Visits (issue 19): the outcome decides; a reading taken at one alerts as the same reading at a check-in would.
        VisitRecorded v => Visit(v, cellId, county, o),
        // Only a code that was red or yellow is a release: a person green from the start, or green again under a new rule
        // version, was never under quarantine.
        HealthCodeChanged { Colour: "green", FromColour: "red" or "yellow" } g => [Person($"release:{g.PersonRef}:{g.Meta.RecordedAt.UtcTicks}", "quarantine-release",
            Severities.Task, cellId, county, new("Quarantine complete: release", "隔离期满，解除隔离"), g.Meta.RecordedAt,
            g.Meta.RecordedAt + o.VisitWithin, g.PersonRef)],
        _ => [],
    };

    /// <summary>The cell a person's event names, which its alert goes to; null when it names none.</summary>
    public static string? CellOfPersonEvent(IEpiEvent e) => e switch
    {
        CheckInMissed m => m.CellId,
        CheckInRecorded c => c.CellId,
        HealthCodeChanged g => g.CellId,
        PersonCaseRecorded c => c.CellId,
        ContactRecorded c => c.CellId,
        PlaceRiskNoted p => p.CellId,
        StayRecorded s => s.CellId,
        SelfDeclared d => d.CellId,
        SelfDeclarationDisputed d => d.CellId,
        VisitRecorded v => v.CellId,
        _ => null,
    };

    /// <summary>
    /// What a visit raises (issue 19): an escalation to the county's officials when refused or not at home for the second
    /// time in a row; a task for them to locate a person who moved away; an urgent alert to the cell and the officials for
    /// a fever or symptoms found. Ids derive from the visit (its subject and client id), so a sweep finds the same ones.
    /// </summary>
    static IEnumerable<AlertDraft> Visit(VisitRecorded v, string cellId, string county, AlertOptions o)
    {
        var subject = new Dictionary<string, string> { ["visitId"] = v.VisitId, ["outcome"] = v.Outcome, ["cellId"] = v.CellId };
        if (v.PersonRef is { } person) subject["personRef"] = person;
        if (v.AlertId is { } answered) subject["alertId"] = answered;
        var who = v.PersonRef is null ? $"at a visit in cell {v.CellId}" : $"person {v.PersonRef}";
        var key = $"{v.CellId}:{v.PersonRef ?? "cell"}:{v.VisitId}";
        if (VisitRules.Escalates(v))
        {
            subject["notHomeInARow"] = v.NotHomeInARow.ToString(System.Globalization.CultureInfo.InvariantCulture);
            yield return AlertDraft.Of($"visit-escalation:{key}", "visit-escalation", Severities.High, cellId, county,
                v.Outcome == VisitRules.Refused
                    ? new($"Visit refused: {who}, {v.Meta.OccurredAt:yyyy-MM-dd HH:mm}Z", "拒绝入户核查，请跟进")
                    : new($"Not at home at {v.NotHomeInARow} visits in a row: {who}", $"连续{v.NotHomeInARow}次上门未见本人，请跟进"),
                v.Meta.RecordedAt, null, subject, [AlertGroups.CountyOfficials(county)], Version);
        }
        else if (v.Outcome == VisitRules.MovedAway)
            yield return AlertDraft.Of($"visit-moved-away:{key}", "visit-moved-away", Severities.Task, cellId, county,
                new($"Moved away, found at a visit: locate {who}", "人员已搬离，请查找去向"), v.Meta.RecordedAt, v.Meta.RecordedAt + o.VisitWithin,
                subject, [AlertGroups.CountyOfficials(county)], Version);
        if (VisitRules.Abnormal(v))
            yield return AlertDraft.Of(v.PersonRef is { } p ? $"symptoms:{p}:{v.Meta.OccurredAt.UtcTicks}" : $"visit-symptoms:{key}",
                "check-in-symptoms", Severities.Urgent, cellId, county,
                new($"Abnormal at a visit: {new CheckIn(v.Meta.OccurredAt, v.Temperature, v.Symptoms).Describe()}", "上门核查发现异常"), v.Meta.RecordedAt,
                v.Meta.RecordedAt + o.UrgentAcknowledgeWithin, subject, [AlertGroups.Cell(cellId), AlertGroups.CountyOfficials(county)], Version);
    }

    static AlertDraft Person(string id, string kind, string severity, string cellId, string county, Bilingual text,
        DateTimeOffset at, DateTimeOffset? due, string personRef) => AlertDraft.Of(
        id, kind, severity, cellId, county, text, at, due, new Dictionary<string, string> { ["personRef"] = personRef },
        [AlertGroups.Cell(cellId), AlertGroups.CountyOfficials(county)], Version);

    /// <summary>
    /// A change of the default rule set's colour, to everyone in the county and to the province, naming the measures
    /// that now apply (<see cref="MeasureTable"/>). A new version of the rules that keeps the colour is recorded (the
    /// event names the version) but alerts nobody.
    /// </summary>
    public static AlertDraft? ForColourChange(CountyColourChanged e, long eventVersion, string defaultRuleSet, MeasureTable measures)
    {
        if (e.RuleSet != defaultRuleSet || e.FromColour is null || e.FromColour == e.Colour) return null;
        var now = measures.For(e.RuleSet, e.Colour);
        var en = now.Items.Count == 0 ? "" : $". Measures now: {string.Join("; ", now.Items.Select(m => m.En))}";
        var zh = now.Items.Count == 0 ? "" : $"。现行措施：{string.Join("；", now.Items.Select(m => m.Zh))}";
        var subject = new Dictionary<string, string>
        {
            ["ruleSet"] = e.RuleSet, ["from"] = e.FromColour, ["to"] = e.Colour, ["ruleVersion"] = e.RuleVersion,
            ["measures"] = string.Join("; ", now.Items.Select(m => m.En)), ["measuresVersion"] = now.Version,
        };
        return AlertDraft.Of(
            $"colour:{e.County}:{eventVersion}", "county-colour-changed", e.Level > (e.FromLevel ?? RiskLevel.Low) ? Severities.High : Severities.Info,
            null, e.County,
            new($"County {e.County} is now {e.Colour} (was {e.FromColour}) under {e.RuleSet}{en}", $"风险等级由{ColourZh(e.FromColour)}调整为{ColourZh(e.Colour)}{zh}"),
            e.Meta.RecordedAt, null, subject,
            [AlertGroups.County(e.County), AlertGroups.Province], Version);
    }

    static string ColourZh(string colour) => colour switch
    {
        "red" => "红色", "orange" => "橙色", "yellow" => "黄色", "blue" => "蓝色", "green" => "绿色", _ => colour,
    };

    /// <summary>
    /// An alert left unacknowledged past its due time goes to the county's officials, naming the first in each language
    /// (joined into one string, the English half quoted the whole first message and a reader's half could not be told).
    /// </summary>
    public static AlertDraft Escalation(AlertDraft overdue, DateTimeOffset now) => AlertDraft.Of(
        $"escalation:{overdue.Id}", "escalation", Severities.Urgent, overdue.CellId, overdue.County,
        new($"Not acknowledged by {overdue.DueBy:yyyy-MM-dd HH:mm}: {overdue.TextOrJoined.En}", $"逾期未处理：{overdue.TextOrJoined.Zh}"),
        now, null,
        new Dictionary<string, string> { ["alertId"] = overdue.Id, ["kind"] = overdue.Kind },
        [AlertGroups.CountyOfficials(overdue.County)], Version);

    static AlertDraft Case(CaseReported c, string severity, TimeSpan within, Bilingual text) => AlertDraft.Of(
        $"case:{c.CellId}:{c.CaseId}", $"case-{c.Kind.Name()}", severity, c.CellId, c.County, text,
        c.Meta.RecordedAt, c.Meta.RecordedAt + within,
        new Dictionary<string, string> { ["caseId"] = c.CaseId, ["kind"] = c.Kind.Name(), ["local"] = c.Local ? "true" : "false" },
        [AlertGroups.Cell(c.CellId), AlertGroups.CountyOfficials(c.County)], Version);
}
