using EpiGrid.Cells;
using EpiGrid.Platform;
using FsCheck;
using Outcome = EpiGrid.Platform.Outcome;
using FsCheck.Xunit;

namespace EpiGrid.Tests.Domain;

/// <summary>
/// The cell's decider and state on their own, without a grain or a store: what each command records, what a repeat
/// does (nothing), and what it refuses, with the field at fault.
/// </summary>
public class CellDeciderTests
{
    const string CellId = "330782-001-001";
    static readonly Provenance By = new("worker-1", "test");
    static readonly DateTimeOffset Now = new(2020, 2, 10, 8, 0, 0, TimeSpan.FromHours(8));

    /// <summary>Decides a command and applies its events, as the grain does after the commit.</summary>
    static CellDecision Run(CellState state, CellCommand command)
    {
        var decision = CellDecider.Decide(state, command, Now);
        foreach (var e in decision.Events) state.Apply(e, state.Version + 1);
        return decision;
    }

    static CellState Registered()
    {
        var state = new CellState(CellId);
        Run(state, new RegisterCell(By, "西门社区", 1200));
        return state;
    }

    static ReportCase Case(string id, DateTimeOffset? at = null, CaseKind kind = CaseKind.Confirmed) =>
        new(By, id, kind, true, null, at ?? Now.AddHours(-2));

    static CellDecision Control(CellState state, ControlLevel level, string reason, DateTimeOffset? until = null, DateTimeOffset? at = null)
    {
        var decision = CellDecider.Decide(state, new ControlCell(By, level, reason, until), at ?? Now);
        foreach (var e in decision.Events) state.Apply(e, state.Version + 1);
        return decision;
    }

    [Fact]
    public void A_control_is_an_event_with_its_reason_a_repeat_of_the_one_in_force_is_none_and_lifting_is_one()
    {
        var state = Registered();
        var closing = Control(state, ControlLevel.Closed, "two cases", Now.AddDays(7));
        var closed = closing.Events.Single().ShouldBeOfType<CellControlChanged>();
        (closed.Level, closed.FromLevel, closed.Until, closed.Revision, closed.Meta.Reason, closed.Meta.Actor, closed.Meta.OccurredAt)
            .ShouldBe((ControlLevel.Closed, ControlLevel.Open, Now.AddDays(7), 1, "two cases", "worker-1", Now));
        state.Control.ShouldBe(new CellControl(ControlLevel.Closed, "two cases", Now, Now.AddDays(7), "worker-1", 1));
        state.Clone().Control.ShouldBe(state.Control, "a copy keeps the control");
        state.ToView(Now).Control.ShouldBe(state.Control);

        Control(state, ControlLevel.Closed, "two cases", Now.AddDays(7)).Result.Outcome.ShouldBe(Outcome.Unchanged);
        Control(state, ControlLevel.Closed, "two cases", Now.AddDays(10)).Events.Single().ShouldBeOfType<CellControlChanged>().Revision.ShouldBe(2, "a new end is a new decision");
        Control(state, ControlLevel.Controlled, "two cases").Events.Single().ShouldBeOfType<CellControlChanged>().FromLevel.ShouldBe(ControlLevel.Closed);

        var lifting = Control(state, ControlLevel.Open, "14 quiet days").Events.Single().ShouldBeOfType<CellControlChanged>();
        (lifting.Level, lifting.FromLevel, lifting.Revision).ShouldBe((ControlLevel.Open, ControlLevel.Controlled, 4));
        state.ToView(Now).Control.ShouldBeNull();
        Control(state, ControlLevel.Open, "again").Result.Outcome.ShouldBe(Outcome.Unchanged, "nothing in force to lift");
    }

    [Fact]
    public void A_control_lapses_at_its_until_after_which_the_same_control_is_a_new_decision_and_an_until_not_after_now_is_refused()
    {
        var state = Registered();
        Control(state, ControlLevel.Controlled, "a traveller", Now.AddHours(2));
        state.ToView(Now.AddHours(2).AddTicks(-1)).Control.ShouldNotBeNull();
        state.ToView(Now.AddHours(2)).Control.ShouldBeNull("lapsed at its until");
        CellControlCounts.At([state.Control], Now.AddHours(1)).ShouldBe(new CellControlCounts(0, 1));
        CellControlCounts.At([state.Control], Now.AddHours(2)).ShouldBe(CellControlCounts.None);
        Control(state, ControlLevel.Open, "lift", at: Now.AddHours(3)).Result.Outcome.ShouldBe(Outcome.Unchanged, "a lapsed control is not in force");
        Control(state, ControlLevel.Controlled, "a traveller", Now.AddHours(5), at: Now.AddHours(3)).Events.ShouldHaveSingleItem();

        foreach (var until in new[] { Now.AddHours(3), Now.AddHours(2) })
        {
            var refused = Control(state, ControlLevel.Closed, "late", until, at: Now.AddHours(3));
            (refused.Result.Outcome, refused.Result.Field, refused.Events.Count).ShouldBe((Outcome.Invalid, "until", 0));
        }
        var unregistered = Control(new CellState(CellId), ControlLevel.Closed, "no cell");
        (unregistered.Result.Outcome, unregistered.Events.Count).ShouldBe((Outcome.NotFound, 0));
    }

    [Fact]
    public void A_case_names_its_person_once_a_repeat_may_name_them_late_but_never_another_person()
    {
        var state = Registered();
        Run(state, Case("c1")).Events.Single().ShouldBeOfType<CaseReported>().PersonRef.ShouldBeNull();
        state.PersonOf("c1").ShouldBeNull();

        var named = Run(state, Case("c1") with { PersonRef = "p-alice", MaskedId = "3301**********1234" });
        named.Result.Outcome.ShouldBe(Outcome.Updated);
        named.Events.Single().ShouldBeOfType<CasePersonLinked>().PersonRef.ShouldBe("p-alice");
        state.PersonOf("c1").ShouldBe("p-alice");

        Run(state, Case("c1") with { PersonRef = "p-alice" }).Result.Outcome.ShouldBe(Outcome.Unchanged);
        Run(state, Case("c1")).Result.Outcome.ShouldBe(Outcome.Unchanged, "a repeat without the person keeps them");
        var another = Run(state, Case("c1") with { PersonRef = "p-bob" });
        (another.Result.Outcome, another.Result.Field).ShouldBe((Outcome.Conflict, "personRef"));
        var anotherById = Run(state, Case("c1") with { PersonRef = "p-bob", MaskedId = "3301**********9999" });
        anotherById.Result.Field.ShouldBe("idNumber", "the field the caller sent");

        Run(state, Case("c2") with { PersonRef = "p-carol" }).Events.Single().ShouldBeOfType<CaseReported>().PersonRef.ShouldBe("p-carol");
        state.Clone().PersonOf("c2").ShouldBe("p-carol", "a copy keeps the persons");
    }

    [Fact]
    public void Nothing_but_registration_reaches_an_unregistered_cell()
    {
        var decision = CellDecider.Decide(new CellState(CellId), Case("c1"), Now);
        decision.Events.ShouldBeEmpty();
        decision.Result.Outcome.ShouldBe(Outcome.NotFound);
        decision.Result.Field.ShouldBe("cellId");
    }

    [Fact]
    public void Registering_records_the_county_from_the_cell_id_and_a_repeat_changes_nothing()
    {
        var state = new CellState(CellId);
        var first = Run(state, new RegisterCell(By, "西门社区", 1200));
        first.Result.Outcome.ShouldBe(Outcome.Created);
        first.Events.Single().ShouldBeOfType<CellRegistered>().County.ShouldBe("330782");
        state.Registered.ShouldBeTrue();

        var again = Run(state, new RegisterCell(By, "西门社区", 1200));
        again.Result.Outcome.ShouldBe(Outcome.Unchanged);
        again.Events.ShouldBeEmpty();

        var renamed = Run(state, new RegisterCell(By, "西门社区二区", 1300));
        renamed.Result.Outcome.ShouldBe(Outcome.Updated);
        renamed.Events.Single().ShouldBeOfType<CellDetailsChanged>();
        (state.Name, state.Households).ShouldBe(("西门社区二区", 1300));
    }

    [Fact]
    public void A_case_occurs_when_reported_as_occurring_and_is_recorded_now()
    {
        var state = Registered();
        var occurred = Now.AddDays(-1);
        var reported = Run(state, Case("c1", occurred)).Events.Single().ShouldBeOfType<CaseReported>();
        reported.Meta.OccurredAt.ShouldBe(occurred);
        reported.Meta.RecordedAt.ShouldBe(Now);
        reported.Meta.Actor.ShouldBe(By.Actor);
        state.Cases["c1"].Status.ShouldBe(CaseStatus.Active);
    }

    [Fact]
    public void The_same_case_again_is_unchanged_but_with_other_details_is_a_conflict_on_caseId()
    {
        var state = Registered();
        Run(state, Case("c1"));
        Run(state, Case("c1")).Result.Outcome.ShouldBe(Outcome.Unchanged);

        var other = Run(state, Case("c1", kind: CaseKind.Asymptomatic));
        other.Result.Outcome.ShouldBe(Outcome.Conflict);
        other.Result.Field.ShouldBe("caseId");
        state.Cases["c1"].Kind.ShouldBe(CaseKind.Confirmed);
    }

    [Fact]
    public void A_status_change_needs_the_case_cannot_precede_it_and_nothing_follows_death()
    {
        var state = Registered();
        var missing = Run(state, new ChangeCaseStatus(By, "nope", CaseStatus.Recovered, Now));
        (missing.Result.Outcome, missing.Result.Field).ShouldBe((Outcome.NotFound, "caseId"));

        Run(state, Case("c1", Now.AddDays(-3)));
        var early = Run(state, new ChangeCaseStatus(By, "c1", CaseStatus.Recovered, Now.AddDays(-4)));
        (early.Result.Outcome, early.Result.Field).ShouldBe((Outcome.Invalid, "occurredAt"));

        Run(state, new ChangeCaseStatus(By, "c1", CaseStatus.Died, Now)).Result.Outcome.ShouldBe(Outcome.Updated);
        Run(state, new ChangeCaseStatus(By, "c1", CaseStatus.Died, Now)).Result.Outcome.ShouldBe(Outcome.Unchanged);
        var after = Run(state, new ChangeCaseStatus(By, "c1", CaseStatus.Recovered, Now));
        (after.Result.Outcome, after.Result.Field).ShouldBe((Outcome.Conflict, "status"));
        state.Cases["c1"].Status.ShouldBe(CaseStatus.Died);
    }

    [Fact]
    public void A_status_reported_late_that_occurred_before_the_one_held_is_recorded_but_does_not_become_the_present()
    {
        var state = Registered();
        Run(state, Case("c1", Now.AddDays(-10)));
        Run(state, new ChangeCaseStatus(By, "c1", CaseStatus.Recovered, Now.AddDays(-2)));
        var late = Run(state, new ChangeCaseStatus(By, "c1", CaseStatus.Hospitalised, Now.AddDays(-5)));
        late.Result.Outcome.ShouldBe(Outcome.Updated, "the report is history and is kept");
        state.Cases["c1"].Status.ShouldBe(CaseStatus.Recovered, "the latest in the world is the present");
        state.Cases["c1"].StatusAt.ShouldBe(Now.AddDays(-2));
        state.Cases["c1"].Version.ShouldBe(state.Version, "the fact moved with the stream, so the county takes it");
    }

    [Fact]
    public void A_traveller_is_registered_once_and_a_different_journey_under_its_id_is_a_conflict()
    {
        var state = Registered();
        RegisterTraveller Traveller(string origin) => new(By, "t1", origin, "high", Now.AddHours(-5), "rail", "home, red, 14 days");
        Run(state, Traveller("湖北省武汉市")).Result.Outcome.ShouldBe(Outcome.Created);
        Run(state, Traveller("湖北省武汉市")).Result.Outcome.ShouldBe(Outcome.Unchanged);
        var other = Run(state, Traveller("湖北省孝感市"));
        (other.Result.Outcome, other.Result.Field).ShouldBe((Outcome.Conflict, "travellerId"));
        state.Travellers["t1"].Quarantine.ShouldBe("home, red, 14 days");
    }

    [Fact]
    public void A_clone_is_independent_of_the_state_it_was_taken_from()
    {
        var state = Registered();
        var clone = state.Clone();
        Run(clone, Case("c1"));
        state.Cases.ShouldBeEmpty();
        clone.Cases.Count.ShouldBe(1);
        clone.Version.ShouldBe(state.Version + 1);
    }

    /// <summary>
    /// Whatever commands arrive, in any order: each repeated at once changes nothing, and the state folded from the
    /// recorded events alone (as a grain rebuilt from the store, or a replay) equals the live one.
    /// </summary>
    [Property(MaxTest = 300)]
    public void Repeats_record_nothing_and_the_events_rebuild_the_state(PositiveInt seed)
    {
        var random = new Random(seed.Get);
        var live = new CellState(CellId);
        var recorded = new List<IEpiEvent>();
        for (var i = 0; i < 40; i++)
        {
            CellCommand command = random.Next(5) switch
            {
                0 => new RegisterCell(By, $"cell {random.Next(2)}", 100 + random.Next(2)),
                1 or 2 => Case($"c{random.Next(6)}", Now.AddHours(-random.Next(1, 48)), (CaseKind)random.Next(3)),
                3 => new ChangeCaseStatus(By, $"c{random.Next(6)}", (CaseStatus)random.Next(5), Now.AddHours(-random.Next(0, 48))),
                _ => new RegisterTraveller(By, $"t{random.Next(4)}", $"area {random.Next(2)}", "high", Now.AddHours(-random.Next(1, 3)), "car", "home"),
            };
            var decision = Run(live, command);
            recorded.AddRange(decision.Events);
            if (decision.Events.Count > 0) Run(live, command).Events.ShouldBeEmpty($"{command} repeated");
        }
        var rebuilt = new CellState(CellId);
        for (var i = 0; i < recorded.Count; i++) rebuilt.Apply(recorded[i], i + 1);
        System.Text.Json.JsonSerializer.Serialize(rebuilt.ToView(Now)).ShouldBe(System.Text.Json.JsonSerializer.Serialize(live.ToView(Now)));
    }
}
