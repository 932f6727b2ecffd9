using EpiGrid.Cells;
using EpiGrid.Platform;
using EpiGrid.People;

namespace EpiGrid.Tests.Domain;

/// <summary>
/// Visits (issue 19) in the deciders on their own: once per visit id, not at home counted in a row by when the visits took
/// place, a reading at a visit judged as a check-in, and a cell's own visits.
/// </summary>
public class VisitDeciderTests
{
    const string Person = "p-visit", Cell = "330782-001-001", County = "330782";
    static readonly TimeSpan Offset = TimeSpan.FromHours(8);
    static readonly DateTimeOffset Now = new(2020, 2, 10, 8, 0, 0, Offset);
    static readonly Provenance By = new("worker-1", "test");

    static VisitReport Visit(string id, string outcome, double hoursAgo, decimal? temperature = null, string? person = Person, string? alertId = null) =>
        new(By, id, person, alertId, Now.AddHours(-hoursAgo), outcome, null, temperature, [], null);

    /// <summary>A person on record in <see cref="Cell"/>, green (an arrival from a low-risk area).</summary>
    static PersonState Known()
    {
        var state = new PersonState(Person);
        var arrival = PersonDecider.Arrival(state, new ReportArrival(By, "330***********123X", null, null, null, "上海", "low", Now.AddDays(-1), "rail", Cell,
            new ReportSource("rail", "r1")), County, Now, new TravellerOptions());
        Apply(state, arrival.Events);
        return state;
    }

    static void Apply(PersonState state, IEnumerable<IEpiEvent> events)
    {
        var (_, all) = PersonDecider.Settle(state, events.ToList(), Now, Offset, By);
        foreach (var e in all) state.Apply(e, state.Version + 1);
    }

    static VisitRecorded Record(PersonState state, VisitReport visit)
    {
        var decision = PersonDecider.Visit(state, visit, Cell, County, Now);
        decision.Result.Outcome.ShouldBe(Outcome.Created);
        Apply(state, decision.Events);
        return decision.Events.Single().ShouldBeOfType<VisitRecorded>();
    }

    [Fact]
    public void A_visit_is_recorded_once_per_visit_id_and_only_in_the_persons_cell()
    {
        var state = Known();
        Record(state, Visit("v-1", VisitRules.Found, 2));
        var again = PersonDecider.Visit(state, Visit("v-1", VisitRules.Refused, 1), Cell, County, Now);
        again.Events.ShouldBeEmpty("a resend changes nothing, whatever it says");
        again.Result.Outcome.ShouldBe(Outcome.Unchanged);
        PersonDecider.Visit(state, Visit("v-2", VisitRules.Found, 1), "330782-001-002", County, Now).Result.Outcome.ShouldBe(Outcome.NotFound);
        PersonDecider.Visit(new PersonState("p-nobody"), Visit("v-3", VisitRules.Found, 1), Cell, County, Now).Result.Field.ShouldBe("personRef");
    }

    [Fact]
    public void Not_home_counts_back_over_the_visits_by_when_they_took_place()
    {
        var state = Known();
        Record(state, Visit("a", VisitRules.NotHome, 5)).NotHomeInARow.ShouldBe(1);
        Record(state, Visit("b", VisitRules.NotHome, 4)).NotHomeInARow.ShouldBe(2);
        Record(state, Visit("c", VisitRules.Found, 3)).NotHomeInARow.ShouldBe(0);
        Record(state, Visit("d", VisitRules.NotHome, 2)).NotHomeInARow.ShouldBe(1, "a found visit ends the run");
        // Sent late from an outbox: counted where it took place, before the found one.
        Record(state, Visit("e", VisitRules.NotHome, 3.5)).NotHomeInARow.ShouldBe(3);
        VisitRules.Escalates(state.Visits.Single(v => v.VisitId == "b")).ShouldBeTrue();
        VisitRules.Escalates(state.Visits.Single(v => v.VisitId == "d")).ShouldBeFalse();
    }

    [Fact]
    public void A_fever_at_a_visit_turns_the_code_red_by_the_check_in_rules_and_a_visit_without_a_reading_is_no_check_in()
    {
        var state = Known();
        state.Code(Now, Offset).Colour.ShouldBe("green");
        Record(state, Visit("quiet", VisitRules.Found, 2));
        state.CheckIns.ShouldBeEmpty("no reading, no check-in");
        Record(state, Visit("warm", VisitRules.Found, 1, temperature: 37.2m));
        state.Code(Now, Offset).Colour.ShouldBe("green");
        Record(state, Visit("fever", VisitRules.Found, 0.5, temperature: 38.1m));
        var code = state.Code(Now, Offset);
        (code.Colour, code.RequiredDays).ShouldBe(("red", HealthCodeRules.RedDays));
        code.Reason.ShouldContain("38.1 °C");
        state.LastCode!.Colour.ShouldBe("red", "the code change is recorded with the visit");
        state.CheckIns.Count.ShouldBe(2);
    }

    [Fact]
    public void A_cells_own_visits_count_not_home_per_alert_and_take_no_person()
    {
        var cell = new CellState(Cell);
        cell.Apply(new CellRegistered(Cell, County, "Test", 100, new EventMeta("admin", "test", Now, Now)), 1);
        CellVisitRecorded(cell, Visit("x", VisitRules.NotHome, 3, person: null, alertId: "visit:t-1")).NotHomeInARow.ShouldBe(1);
        CellVisitRecorded(cell, Visit("y", VisitRules.NotHome, 2, person: null, alertId: "visit:t-2")).NotHomeInARow.ShouldBe(1, "another alert's run");
        CellVisitRecorded(cell, Visit("z", VisitRules.NotHome, 1, person: null, alertId: "visit:t-1")).NotHomeInARow.ShouldBe(2);
        CellDecider.Decide(cell, new RecordCellVisit(By, Visit("z", VisitRules.Refused, 1, person: null)), Now).Result.Outcome.ShouldBe(Outcome.Unchanged);
        CellDecider.Decide(cell, new RecordCellVisit(By, Visit("w", VisitRules.Found, 1)), Now).Result.Field.ShouldBe("personRef");
    }

    static VisitRecorded CellVisitRecorded(CellState cell, VisitReport visit)
    {
        var decision = CellDecider.Decide(cell, new RecordCellVisit(By, visit), Now);
        decision.Result.Outcome.ShouldBe(Outcome.Created);
        var e = decision.Events.Single().ShouldBeOfType<VisitRecorded>();
        cell.Apply(e, cell.Version + 1);
        return e;
    }
}
