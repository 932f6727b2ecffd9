using EpiGrid.Alerts;
using EpiGrid.Cells;
using EpiGrid.Counties;
using EpiGrid.Counties.Rules;
using EpiGrid.Platform;
using EpiGrid.People;
using FsCheck;
using FsCheck.Xunit;

namespace EpiGrid.Tests.Alerts;

/// <summary>
/// The alert rules on their own, without grains or a store: what each event raises, for whom, and by when. Events
/// occur half an hour before they are recorded, so that an alert raised or due from the wrong time shows.
/// </summary>
public class AlertRulesTests
{
    const string CellId = "330102-001-001", County = "330102";
    static readonly DateTimeOffset Recorded = new(2020, 2, 10, 8, 0, 0, TimeSpan.FromHours(8));
    static readonly AlertOptions Defaults = new();
    static readonly MeasureTable Measures = new(new MeasureOptions());
    static readonly EventMeta Meta = new("ingest", "test", Recorded.AddMinutes(-30), Recorded);

    static readonly string[] CellAndOfficials = [AlertGroups.Cell(CellId), AlertGroups.CountyOfficials(County)];

    static CaseReported Case(CaseKind kind, string caseId = "c-1", bool local = true) =>
        new(caseId, CellId, County, kind, local, null, Meta);

    static TravellerArrived Traveller(string risk) =>
        new("t-1", CellId, County, "Wuhan", risk, "train", "home", Meta);

    /// <summary>The one alert drafted, whose text every rule gives in both languages, as two fields.</summary>
    static AlertDraft Single(IEnumerable<AlertDraft> drafts)
    {
        var draft = drafts.ShouldHaveSingleItem();
        var text = draft.Text.ShouldNotBeNull();
        text.Zh.ShouldMatch(@"\p{IsCJKUnifiedIdeographs}", "the Chinese half");
        draft.Message.ShouldBe(text.Joined);
        return draft;
    }

    [Fact]
    public void The_default_times_are_one_hour_for_urgent_four_for_high_and_a_day_for_visits()
    {
        Defaults.UrgentAcknowledgeWithin.ShouldBe(TimeSpan.FromHours(1));
        Defaults.HighAcknowledgeWithin.ShouldBe(TimeSpan.FromHours(4));
        Defaults.VisitWithin.ShouldBe(TimeSpan.FromHours(24));
    }

    [Fact]
    public void A_confirmed_case_is_urgent_for_its_cell_and_the_county_officials_within_an_hour()
    {
        var alert = Single(AlertRules.ForCellEvent(Case(CaseKind.Confirmed), Defaults));

        alert.Id.ShouldBe($"case:{CellId}:c-1");
        alert.Kind.ShouldBe("case-confirmed");
        alert.Severity.ShouldBe(Severities.Urgent);
        alert.CellId.ShouldBe(CellId);
        alert.County.ShouldBe(County);
        alert.RaisedAt.ShouldBe(Recorded);
        alert.DueBy.ShouldBe(Recorded.AddHours(1));
        alert.Audience.ShouldBe(CellAndOfficials);
        alert.Subject.ShouldBe(new Dictionary<string, string> { ["caseId"] = "c-1", ["kind"] = "confirmed", ["local"] = "true" }, ignoreOrder: true);
        alert.Message.ShouldStartWith($"Confirmed case c-1 in cell {CellId}");
        alert.RuleVersion.ShouldBe(AlertRules.Version);
    }

    [Theory]
    [InlineData(CaseKind.Suspected, "case-suspected", "Suspected")]
    [InlineData(CaseKind.Asymptomatic, "case-asymptomatic", "Asymptomatic")]
    public void Suspected_and_asymptomatic_cases_are_high_within_four_hours(CaseKind kind, string expectedKind, string word)
    {
        var alert = Single(AlertRules.ForCellEvent(Case(kind, local: false), Defaults));

        alert.Id.ShouldBe($"case:{CellId}:c-1");
        alert.Kind.ShouldBe(expectedKind);
        alert.Severity.ShouldBe(Severities.High);
        alert.RaisedAt.ShouldBe(Recorded);
        alert.DueBy.ShouldBe(Recorded.AddHours(4));
        alert.Audience.ShouldBe(CellAndOfficials);
        alert.Subject["kind"].ShouldBe(kind.Name());
        alert.Subject["local"].ShouldBe("false");
        alert.Message.ShouldStartWith($"{word} case c-1 in cell {CellId}");
        alert.RuleVersion.ShouldBe(AlertRules.Version);
    }

    [Property]
    public void A_case_falls_due_after_the_configured_time_for_its_severity(PositiveInt urgentMinutes, PositiveInt highMinutes, byte kindIndex)
    {
        var options = new AlertOptions
        {
            UrgentAcknowledgeWithin = TimeSpan.FromMinutes(urgentMinutes.Get), HighAcknowledgeWithin = TimeSpan.FromMinutes(highMinutes.Get),
        };
        var kind = (CaseKind)(kindIndex % 3);

        var alert = Single(AlertRules.ForCellEvent(Case(kind), options));

        alert.Severity.ShouldBe(kind == CaseKind.Confirmed ? Severities.Urgent : Severities.High);
        (alert.DueBy - alert.RaisedAt).ShouldBe(kind == CaseKind.Confirmed ? options.UrgentAcknowledgeWithin : options.HighAcknowledgeWithin);
    }

    [Fact]
    public void The_same_case_raises_the_same_alert_id_and_another_case_another()
    {
        var first = Single(AlertRules.ForCellEvent(Case(CaseKind.Confirmed), Defaults));
        var again = Single(AlertRules.ForCellEvent(Case(CaseKind.Confirmed) with { Meta = Meta with { RecordedAt = Recorded.AddMinutes(5) } }, Defaults));
        var other = Single(AlertRules.ForCellEvent(Case(CaseKind.Confirmed, "c-2"), Defaults));

        again.Id.ShouldBe(first.Id);
        other.Id.ShouldNotBe(first.Id);
    }

    [Theory]
    [InlineData("high")]
    [InlineData("medium")]
    public void A_traveller_from_a_risk_area_is_a_visit_task_for_the_cell_due_within_a_day(string risk)
    {
        var task = Single(AlertRules.ForCellEvent(Traveller(risk), Defaults));

        task.Id.ShouldBe($"visit:{CellId}:t-1");
        task.Kind.ShouldBe("traveller-visit");
        task.Severity.ShouldBe(Severities.Task);
        task.CellId.ShouldBe(CellId);
        task.County.ShouldBe(County);
        task.RaisedAt.ShouldBe(Recorded);
        task.DueBy.ShouldBe(Recorded.AddHours(24));
        task.Audience.ShouldBe([AlertGroups.Cell(CellId)]);
        task.Subject.ShouldBe(new Dictionary<string, string> { ["travellerId"] = "t-1", ["originArea"] = "Wuhan", ["originRisk"] = risk }, ignoreOrder: true);
        task.Message.ShouldContain($"({risk} risk)");
        task.Message.ShouldContain("within 24 hours");
        task.RuleVersion.ShouldBe(AlertRules.Version);
    }

    [Fact]
    public void A_visit_task_says_and_falls_due_after_the_configured_time()
    {
        var task = Single(AlertRules.ForCellEvent(Traveller("high"), new AlertOptions { VisitWithin = TimeSpan.FromHours(12) }));

        task.DueBy.ShouldBe(Recorded.AddHours(12));
        task.Message.ShouldContain("within 12 hours");
    }

    [Theory]
    [InlineData("low")]
    [InlineData("")]
    public void A_traveller_from_a_low_risk_area_raises_nothing(string risk) =>
        AlertRules.ForCellEvent(Traveller(risk), Defaults).ShouldBeEmpty();

    [Fact]
    public void Other_cell_events_raise_nothing()
    {
        AlertRules.ForCellEvent(new CellRegistered(CellId, County, "Grid 1", 120, Meta), Defaults).ShouldBeEmpty();
        AlertRules.ForCellEvent(new CaseStatusChanged("c-1", CellId, CaseStatus.Active, CaseStatus.Recovered, Meta), Defaults).ShouldBeEmpty();
    }

    [Fact]
    public void A_missed_check_in_is_high_for_the_cell_and_the_county_officials_within_four_hours()
    {
        var alert = Single(AlertRules.ForPersonEvent(new CheckInMissed("p-1", new DateOnly(2020, 2, 9), CellId, Meta), CellId, County, Defaults));

        alert.Id.ShouldBe("missed:p-1:20200209");
        alert.Kind.ShouldBe("check-in-missed");
        alert.Severity.ShouldBe(Severities.High);
        alert.CellId.ShouldBe(CellId);
        alert.County.ShouldBe(County);
        alert.RaisedAt.ShouldBe(Recorded);
        alert.DueBy.ShouldBe(Recorded.AddHours(4));
        alert.Audience.ShouldBe(CellAndOfficials);
        alert.Subject.ShouldBe(new Dictionary<string, string> { ["personRef"] = "p-1" }, ignoreOrder: true);
        alert.Message.ShouldStartWith("No check-in on 2020-02-09");
        alert.RuleVersion.ShouldBe(AlertRules.Version);
    }

    [Theory]
    [InlineData(37.3, "")]
    [InlineData(38.5, "")]
    [InlineData(36.6, "cough")]
    public void A_check_in_with_fever_or_symptoms_is_urgent_within_an_hour(double temperature, string symptom)
    {
        var checkIn = new CheckInRecorded("p-1", (decimal)temperature, symptom is "" ? [] : [symptom], Meta);

        var alert = Single(AlertRules.ForPersonEvent(checkIn, CellId, County, Defaults));

        alert.Id.ShouldBe($"symptoms:p-1:{Meta.OccurredAt.UtcTicks}");
        alert.Kind.ShouldBe("check-in-symptoms");
        alert.Severity.ShouldBe(Severities.Urgent);
        alert.RaisedAt.ShouldBe(Recorded);
        alert.DueBy.ShouldBe(Recorded.AddHours(1));
        alert.Audience.ShouldBe(CellAndOfficials);
        alert.Subject["personRef"].ShouldBe("p-1");
        alert.RuleVersion.ShouldBe(AlertRules.Version);
    }

    [Fact]
    public void A_normal_check_in_just_below_the_fever_threshold_raises_nothing() =>
        AlertRules.ForPersonEvent(new CheckInRecorded("p-1", CheckIn.FeverFrom - 0.1m, [], Meta), CellId, County, Defaults).ShouldBeEmpty();

    [Theory]
    [InlineData(null)]
    [InlineData("green")]
    public void A_code_that_was_never_red_or_yellow_is_no_release(string? from) =>
        AlertRules.ForPersonEvent(new HealthCodeChanged("p-1", "green", "No exposure", Recorded.AddDays(1), 0, "hc-2", CellId, Meta, FromColour: from),
            CellId, County, Defaults).ShouldBeEmpty();

    [Fact]
    public void A_green_health_code_is_a_release_task_for_the_cell_and_the_county_officials_within_a_day()
    {
        var green = new HealthCodeChanged("p-1", "green", "14 days without symptoms", Recorded.AddDays(1), 0, "hc-1", CellId, Meta, FromColour: "red");

        var task = Single(AlertRules.ForPersonEvent(green, CellId, County, Defaults));

        task.Id.ShouldBe($"release:p-1:{Recorded.UtcTicks}");
        task.Kind.ShouldBe("quarantine-release");
        task.Severity.ShouldBe(Severities.Task);
        task.RaisedAt.ShouldBe(Recorded);
        task.DueBy.ShouldBe(Recorded.AddHours(24));
        task.Audience.ShouldBe(CellAndOfficials);
        task.Subject.ShouldBe(new Dictionary<string, string> { ["personRef"] = "p-1" }, ignoreOrder: true);
        task.RuleVersion.ShouldBe(AlertRules.Version);
    }

    [Theory]
    [InlineData("yellow")]
    [InlineData("red")]
    public void A_health_code_turning_yellow_or_red_raises_nothing_here(string colour) =>
        AlertRules.ForPersonEvent(new HealthCodeChanged("p-1", colour, "arrival", Recorded.AddDays(14), 14, "hc-1", CellId, Meta), CellId, County, Defaults)
            .ShouldBeEmpty();

    static CountyColourChanged ColourChange(string ruleSet, RiskLevel? from, string? fromColour, RiskLevel to, string colour) =>
        new(County, ruleSet, "rules-1", from, fromColour, to, colour, ["reason"], new Dictionary<string, double>(), Meta);

    [Fact]
    public void A_worse_colour_under_the_default_rule_set_is_high_for_the_whole_county_and_the_province()
    {
        var change = ColourChange(Zhejiang5RuleSet.RuleSetName, RiskLevel.Low, "green", RiskLevel.Medium, "yellow");

        var alert = AlertRules.ForColourChange(change, eventVersion: 7, Zhejiang5RuleSet.RuleSetName, Measures).ShouldNotBeNull();

        alert.Id.ShouldBe($"colour:{County}:7");
        alert.Kind.ShouldBe("county-colour-changed");
        alert.Severity.ShouldBe(Severities.High);
        alert.CellId.ShouldBeNull();
        alert.County.ShouldBe(County);
        alert.RaisedAt.ShouldBe(Recorded);
        alert.DueBy.ShouldBeNull();
        // "county:<code>" reaches its officials and every grid worker with a cell in it; officials-only would miss the workers.
        alert.Audience.ShouldBe([AlertGroups.County(County), AlertGroups.Province]);
        var measures = Measures.For("zhejiang-5", "yellow");
        measures.Items.ShouldNotBeEmpty();
        alert.Subject.ShouldBe(new Dictionary<string, string>
        {
            ["ruleSet"] = "zhejiang-5", ["from"] = "green", ["to"] = "yellow", ["ruleVersion"] = "rules-1",
            ["measures"] = string.Join("; ", measures.Items.Select(m => m.En)), ["measuresVersion"] = MeasureTable.BaseVersion,
        }, ignoreOrder: true);
        alert.Message.ShouldStartWith($"County {County} is now yellow (was green) under zhejiang-5. Measures now: {measures.Items[0].En}");
        alert.Message.Split(" / ")[1].ShouldContain("现行措施：" + measures.Items[0].Zh);
        alert.RuleVersion.ShouldBe(AlertRules.Version);
    }

    [Fact]
    public void A_better_colour_is_for_information_only()
    {
        var change = ColourChange(National3RuleSet.RuleSetName, RiskLevel.High, "red", RiskLevel.Medium, "yellow");

        var alert = AlertRules.ForColourChange(change, 3, National3RuleSet.RuleSetName, Measures).ShouldNotBeNull();

        alert.Severity.ShouldBe(Severities.Info);
        alert.Audience.ShouldBe([AlertGroups.County(County), AlertGroups.Province]);
    }

    [Fact]
    public void Other_rule_sets_and_a_county_s_first_colour_raise_nothing()
    {
        AlertRules.ForColourChange(ColourChange(Harvard4RuleSet.RuleSetName, RiskLevel.Low, "green", RiskLevel.High, "red"), 2, Zhejiang5RuleSet.RuleSetName, Measures)
            .ShouldBeNull();
        AlertRules.ForColourChange(ColourChange(Zhejiang5RuleSet.RuleSetName, null, null, RiskLevel.High, "red"), 1, Zhejiang5RuleSet.RuleSetName, Measures)
            .ShouldBeNull();
    }

    [Fact]
    public void A_new_version_of_the_rules_that_keeps_the_colour_alerts_nobody()
    {
        AlertRules.ForColourChange(ColourChange(Zhejiang5RuleSet.RuleSetName, RiskLevel.FairlyLow, "blue", RiskLevel.FairlyLow, "blue"), 4,
            Zhejiang5RuleSet.RuleSetName, Measures).ShouldBeNull();
    }

    [Fact]
    public void An_overdue_alert_escalates_to_the_county_officials_only_naming_the_first()
    {
        var overdue = Single(AlertRules.ForCellEvent(Traveller("high"), Defaults));
        var now = Recorded.AddHours(25);

        var escalation = AlertRules.Escalation(overdue, now);

        escalation.Id.ShouldBe($"escalation:visit:{CellId}:t-1");
        escalation.Kind.ShouldBe("escalation");
        escalation.Severity.ShouldBe(Severities.Urgent);
        escalation.CellId.ShouldBe(CellId);
        escalation.County.ShouldBe(County);
        escalation.RaisedAt.ShouldBe(now);
        escalation.DueBy.ShouldBeNull();
        escalation.Audience.ShouldBe([AlertGroups.CountyOfficials(County)]);
        escalation.Subject.ShouldBe(new Dictionary<string, string> { ["alertId"] = overdue.Id, ["kind"] = "traveller-visit" }, ignoreOrder: true);
        // Each language names the first alert in that language: a reader of either sees one language only.
        var first = overdue.Text.ShouldNotBeNull();
        escalation.Text.ShouldBe(new Bilingual($"Not acknowledged by 2020-02-11 08:00: {first.En}", $"逾期未处理：{first.Zh}"));
        escalation.Text!.En.ShouldNotMatch(@"\p{IsCJKUnifiedIdeographs}");
        escalation.Message.ShouldBe(escalation.Text.Joined);
        escalation.RuleVersion.ShouldBe(AlertRules.Version);
    }

    [Fact]
    public void The_rule_version_is_the_one_alerts_on_record_were_raised_under()
    {
        // Changing what an event raises means a new version: alerts keep the version that raised them.
        // .2 (issue 16): a person's own case (person-case) and a close contact (contact-trace) raise alerts to the person's cell.
        // .4 (issue 16): a self-declaration with symptoms or a contact (self-declared-risk), and one from another phone
        // (declaration-verify), raise alerts to the person's cell.
        // .6 (issue 17): a colour change names the measures that now apply and the rule version; a new version of the
        // rules that keeps the colour alerts nobody.
        // .7 (issue 17): a cell put under control, changed or lifted (cell-control) alerts the cell's workers and the county's officials.
        // .8 (issue 19): a visit refused or not at home twice in a row (visit-escalation), a person moved away
        // (visit-moved-away), to the county's officials; a fever or symptoms at a visit (check-in-symptoms).
        // .9: the message in English and Chinese as two fields; an escalation names the first alert's text in each language.
        AlertRules.Version.ShouldBe("2020-02-10.9");
    }

    const string Person = "p0123456789abcdef01234567";

    static VisitRecorded Visit(string outcome, int notHomeInARow = 0, decimal? temperature = null, string? person = Person, params string[] symptoms) =>
        new("v-1", CellId, County, person, "visit:t-1", outcome, null, temperature, symptoms, null, notHomeInARow, Meta);

    [Fact]
    public void A_visit_refused_or_not_at_home_twice_in_a_row_escalates_to_the_countys_officials_only()
    {
        AlertRules.ForPersonEvent(Visit(VisitRules.NotHome, 1), CellId, County, Defaults).ShouldBeEmpty("the first not-home visit is for the worker to repeat");
        AlertRules.ForPersonEvent(Visit(VisitRules.Found), CellId, County, Defaults).ShouldBeEmpty();
        foreach (var visit in new[] { Visit(VisitRules.NotHome, 2), Visit(VisitRules.NotHome, 3), Visit(VisitRules.Refused) })
        {
            var escalation = Single(AlertRules.ForPersonEvent(visit, CellId, County, Defaults));
            (escalation.Id, escalation.Kind, escalation.Severity).ShouldBe(($"visit-escalation:{CellId}:{Person}:v-1", "visit-escalation", Severities.High));
            escalation.Audience.ShouldBe([AlertGroups.CountyOfficials(County)]);
            escalation.Subject["personRef"].ShouldBe(Person);
            escalation.Subject["alertId"].ShouldBe("visit:t-1");
            escalation.RaisedAt.ShouldBe(Recorded);
        }
        // A cell's own visit (no person) raises the same, under the cell's event rules too.
        Single(AlertRules.ForCellEvent(Visit(VisitRules.Refused, person: null), Defaults)).Id.ShouldBe($"visit-escalation:{CellId}:cell:v-1");
    }

    [Fact]
    public void A_person_moved_away_is_a_task_for_the_officials_and_a_fever_at_a_visit_alerts_as_at_a_check_in()
    {
        var locate = Single(AlertRules.ForPersonEvent(Visit(VisitRules.MovedAway), CellId, County, Defaults));
        (locate.Kind, locate.Severity, locate.DueBy).ShouldBe(("visit-moved-away", Severities.Task, Recorded + Defaults.VisitWithin));
        locate.Audience.ShouldBe([AlertGroups.CountyOfficials(County)]);

        AlertRules.ForPersonEvent(Visit(VisitRules.Found, temperature: 37.2m), CellId, County, Defaults).ShouldBeEmpty();
        var fever = Single(AlertRules.ForPersonEvent(Visit(VisitRules.Found, temperature: 37.3m), CellId, County, Defaults));
        (fever.Id, fever.Kind, fever.Severity).ShouldBe(($"symptoms:{Person}:{Meta.OccurredAt.UtcTicks}", "check-in-symptoms", Severities.Urgent));
        fever.Audience.ShouldBe(CellAndOfficials);
        Single(AlertRules.ForPersonEvent(Visit(VisitRules.Found, symptoms: "cough"), CellId, County, Defaults)).Message.ShouldContain("cough");
    }

    [Fact]
    public void A_cell_closed_is_a_high_alert_to_its_workers_and_officials_and_its_lifting_an_info_one()
    {
        var until = Recorded.AddDays(14);
        var closed = Single(AlertRules.ForCellEvent(new CellControlChanged(CellId, County, ControlLevel.Closed, ControlLevel.Open, until, 1,
            Meta with { Reason = "two confirmed cases" }), Defaults));
        (closed.Id, closed.Kind, closed.Severity, closed.CellId, closed.County).ShouldBe(($"control:{CellId}:1", "cell-control", Severities.High, CellId, County));
        closed.Audience.ShouldBe(CellAndOfficials);
        closed.RaisedAt.ShouldBe(Recorded);
        closed.DueBy.ShouldBe(Recorded + Defaults.HighAcknowledgeWithin);
        closed.Message.ShouldContain("two confirmed cases");
        closed.Subject.ShouldBe(new Dictionary<string, string> { ["level"] = "closed", ["from"] = "open", ["until"] = until.ToString("O") }, ignoreOrder: true);

        var lifted = Single(AlertRules.ForCellEvent(new CellControlChanged(CellId, County, ControlLevel.Open, ControlLevel.Closed, null, 2,
            Meta with { Reason = "14 quiet days" }), Defaults));
        (lifted.Id, lifted.Severity, lifted.DueBy).ShouldBe(($"control:{CellId}:2", Severities.Info, (DateTimeOffset?)null));
        lifted.Audience.ShouldBe(CellAndOfficials);
    }
}
