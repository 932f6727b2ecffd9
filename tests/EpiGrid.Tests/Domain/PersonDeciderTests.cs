using EpiGrid.Platform;
using EpiGrid.People;

namespace EpiGrid.Tests.Domain;

/// <summary>
/// The person's decider on its own: a new arrival, the same journey told by a second source, a repeat, a report about
/// someone on record outside the reporter's reach, the code change an arrival causes, and the cell's command.
/// </summary>
public class PersonDeciderTests
{
    const string Person = "p-test", Cell = "330782-001-001", County = "330782";
    static readonly TimeSpan Offset = TimeSpan.FromHours(8);
    static readonly DateTimeOffset Now = new(2020, 2, 10, 8, 0, 0, Offset);
    static readonly TravellerOptions Options = new();

    static ReportArrival Report(string source, string record, string origin = "湖北省武汉市", string risk = "high", DateTimeOffset? at = null,
        string cell = Cell, ReportAuthority? authority = null, string? closeContactOf = null) =>
        new(new Provenance("worker-1", "test"), "330***********123X", null, null, null, origin, risk, at ?? Now.AddHours(-6), "rail", cell,
            new ReportSource(source, record), CloseContactOf: closeContactOf, Authority: authority);

    /// <summary>Decides, settles (the code change appended) and applies, as the person grain does after the commit.</summary>
    static PersonDecider.Decision Run(PersonState state, ReportArrival report)
    {
        var decision = PersonDecider.Arrival(state, report, report.CellId[..6], Now, Options);
        var (working, all) = PersonDecider.Settle(state, decision.Events, Now, Offset, report.By);
        foreach (var e in all) state.Apply(e, state.Version + 1);
        working.Version.ShouldBe(state.Version, "the settled copy is the state after its events");
        return decision;
    }

    [Fact]
    public void A_new_arrival_records_the_person_in_the_cell_and_the_code_it_leads_to()
    {
        var state = new PersonState(Person);
        var decision = PersonDecider.Arrival(state, Report("transport", "r1"), County, Now, Options);
        decision.Result.Outcome.ShouldBe(Outcome.Created);
        decision.NewArrival.ShouldBeTrue();
        var arrival = decision.Events.Single().ShouldBeOfType<ArrivalReported>();
        (arrival.CellId, arrival.County, arrival.ArrivalId).ShouldBe((Cell, County, $"{Person}-1"));

        var (working, all) = PersonDecider.Settle(state, decision.Events, Now, Offset, new Provenance("worker-1", "test"));
        all.Count.ShouldBe(2, "the arrival and the code it leads to");
        all[1].ShouldBeOfType<HealthCodeChanged>().Colour.ShouldNotBe("green", "an arrival from a high-risk area is watched");
        working.CellId.ShouldBe(Cell);
        state.Known.ShouldBeFalse("settling works on a copy");
    }

    [Fact]
    public void The_same_journey_from_a_second_source_corroborates_and_a_repeat_of_either_changes_nothing()
    {
        var state = new PersonState(Person);
        Run(state, Report("transport", "r1"));
        // A source system (ingest) may speak of anyone on record.
        var second = Run(state, Report("police", "p9", at: Now.AddHours(-5), authority: ReportAuthority.All));
        second.Corroborated.ShouldBeTrue();
        second.Events.Single().ShouldBeOfType<ArrivalCorroborated>();
        state.Arrivals.Single().Sources.Count.ShouldBe(2);

        var repeat = Run(state, Report("police", "p9", at: Now.AddHours(-5), authority: ReportAuthority.All));
        repeat.Result.Outcome.ShouldBe(Outcome.Unchanged);
        repeat.Events.ShouldBeEmpty();
        state.Arrivals.Count.ShouldBe(1);
    }

    [Fact]
    public void Another_journey_outside_the_window_is_a_second_arrival()
    {
        var state = new PersonState(Person);
        Run(state, Report("transport", "r1"));
        var later = Run(state, Report("transport", "r2", at: Now.AddHours(-6) + Options.SameJourneyWindow + TimeSpan.FromHours(1),
            authority: ReportAuthority.All));
        later.NewArrival.ShouldBeTrue();
        later.ArrivalId.ShouldBe($"{Person}-2");
    }

    [Fact]
    public void A_report_about_someone_on_record_outside_the_reporters_reach_is_kept_but_not_applied_once()
    {
        var state = new PersonState(Person);
        Run(state, Report("transport", "r1"));
        var code = state.LastCode;
        var elsewhere = Report("grid", "g1", cell: "330102-001-001", closeContactOf: "case-9",
            authority: new ReportAuthority(false, "330102", ["330102-001-001"]));

        var first = Run(state, elsewhere);
        first.Applied.ShouldBeFalse();
        first.Events.Single().ShouldBeOfType<ArrivalReportNotApplied>().OnRecordIn.ShouldBe(Cell);
        state.CellId.ShouldBe(Cell, "not moved");
        state.LastCode.ShouldBe(code, "not re-coded by a close-contact claim from outside");

        var again = Run(state, elsewhere);
        (again.Applied, again.Events.Count, again.Result.Outcome).ShouldBe((false, 0, Outcome.Unchanged));
    }

    [Fact]
    public void The_cells_command_carries_the_quarantine_the_origin_asks_for()
    {
        PersonDecider.TravellerOf(Report("t", "1"), "a1", Now, Offset).Quarantine.ShouldStartWith("home, ");
        PersonDecider.TravellerOf(Report("t", "1", origin: "浙江省杭州市", risk: "low"), "a1", Now, Offset).Quarantine.ShouldBe("none");
        PersonDecider.TravellerOf(Report("t", "1", origin: "浙江省杭州市", risk: "low", closeContactOf: "case-1"), "a1", Now, Offset)
            .Quarantine.ShouldContain("red", Case.Insensitive, "a close contact is red whatever the origin");
    }
}
