using EpiGrid.Cells;
using EpiGrid.Counties;
using EpiGrid.Counties.Rules;
using EpiGrid.Platform;
using EpiGrid.Geography;
using EpiGrid.Grains.History;
using EpiGrid.Grains.Storage;
using FsCheck;
using FsCheck.Xunit;

namespace EpiGrid.Tests.Domain;

/// <summary>
/// The live path and the replay path of a county, folded from the same random history, give the same view.
/// Live: each cell decides its commands (<see cref="CellDecider"/>), folds them (<see cref="CellState"/>) and announces
/// <see cref="CellChanged"/>; the county's <see cref="CountyCaseBook"/> takes the announcements interleaved across
/// cells, some twice, some lost (a lost one is found by the next message of its cell, or by the county's periodic
/// reconciliation, and read from the registers); then <see cref="CountyProjection"/>. Replay: the recorded events
/// alone, in the order they occurred in the world (<see cref="CountyReplay"/>, what auditors and what-if use). Cells'
/// controls (closed, controlled, lifted, lapsing) are counted at the same moment by both.
/// </summary>
public class CountyProjectionPropertyTests
{
    static readonly TimeSpan Offset = TimeSpan.FromHours(8);
    static readonly DateTimeOffset Start = new(2020, 1, 20, 0, 0, 0, Offset);
    static readonly RuleBook Rules = new(new RuleOptions());
    static readonly Provenance By = new("ingest", "test");

    sealed record Recorded(string CellId, long Version, long Seq, IEpiEvent Event);

    [Property(MaxTest = 1000)]
    public void Live_and_replay_views_of_a_county_agree(PositiveInt seed)
    {
        var random = new Random(seed.Get);
        var county = new County("330782", "义乌市", "Yiwu", "county-level city", "3307", "金华市", "Jinhua", random.Next(50_000, 2_000_000), 0, 0);
        var cells = Enumerable.Range(1, random.Next(1, 6)).Select(i => $"330782-001-{i:000}").ToDictionary(id => id, id => new CellState(id));
        var caseCell = new Dictionary<string, string>(StringComparer.Ordinal); // a case id names one case in the county (the register's rule)
        var recorded = new List<Recorded>();
        var announcements = cells.Keys.ToDictionary(id => id, _ => new Queue<CellChanged>());
        var clock = Start;

        void Execute(string cellId, CellCommand command)
        {
            var state = cells[cellId];
            var decision = CellDecider.Decide(state, command, clock);
            if (decision.Events.Count == 0) return;
            var before = state.Clone();
            foreach (var e in decision.Events)
            {
                state.Apply(e, state.Version + 1);
                recorded.Add(new Recorded(cellId, state.Version, recorded.Count + 1, e));
            }
            announcements[cellId].Enqueue(state.Changed(before, decision.Events));
        }

        foreach (var id in cells.Keys) Execute(id, new RegisterCell(By, id, 500));
        for (var step = random.Next(1, 80); step > 0; step--)
        {
            clock = clock.AddMinutes(random.Next(1, 12 * 60));
            var occurred = clock.AddHours(-random.Next(0, 10 * 24)); // reported late, sometimes days late
            var caseId = $"c{random.Next(25)}";
            var cellId = caseCell.GetValueOrDefault(caseId) ?? cells.Keys.ElementAt(random.Next(cells.Count));
            switch (random.Next(12))
            {
                case < 5:
                    caseCell[caseId] = cellId;
                    Execute(cellId, new ReportCase(By, caseId, (CaseKind)random.Next(3), random.Next(3) > 0,
                        random.Next(3) switch { 0 => null, 1 => "cluster-a", _ => "cluster-b" }, occurred));
                    break;
                case < 8:
                    Execute(cellId, new ChangeCaseStatus(By, caseId, (CaseStatus)random.Next(5), occurred));
                    break;
                case < 10:
                    Execute(cellId, new RegisterTraveller(By, $"t{random.Next(10)}", "湖北省武汉市", "high", occurred, "rail", "home"));
                    break;
                default:
                    // Closed, controlled or lifted now, some until a later moment (issue 17).
                    Execute(cellId, new ControlCell(By, (ControlLevel)random.Next(3), $"r{random.Next(2)}",
                        random.Next(2) == 0 ? null : clock.AddHours(random.Next(1, 20 * 24))));
                    break;
            }
        }

        // Live: announcements interleaved across cells (in order within a cell, as a stream delivers them), some twice,
        // some lost. A county that notices a gap reads the cell's registers, which the store holds as of now.
        // The county settles what is older than the window at its evaluations (issue 18), at moments up to the one judged.
        var book = new CountyCaseBook(Offset);
        var whole = new CountyCaseBook(Offset); // the same messages, never settled
        var at = clock.AddHours(random.Next(0, 30 * 24));
        var settledAt = clock;
        void ReadRegisters(CellState cell)
        {
            book.Replace([new CellTally(cell.CellId, cell.Version, cell.Travellers.Count, cell.Control)], cell.Cases.Values);
            whole.Replace([new CellTally(cell.CellId, cell.Version, cell.Travellers.Count, cell.Control)], cell.Cases.Values);
        }
        void MaybeSettle()
        {
            if (random.Next(4) != 0) return;
            settledAt = settledAt.AddHours(random.Next(0, (int)(at - settledAt).TotalHours + 1));
            book.Settle(settledAt);
        }
        while (announcements.Values.Any(q => q.Count > 0))
        {
            var queue = announcements.Values.Where(q => q.Count > 0).ElementAt(random.Next(announcements.Values.Count(q => q.Count > 0)));
            var change = queue.Dequeue();
            MaybeSettle();
            if (random.Next(10) == 0) continue; // lost
            if (book.Misses(change) || whole.Misses(change)) ReadRegisters(cells[change.CellId]);
            book.Apply(change).ShouldBeTrue($"seed {seed.Get}: a message after the cell was read");
            whole.Apply(change).ShouldBeTrue();
            if (random.Next(10) == 0) book.Apply(change).ShouldBeTrue(); // delivered twice
            if (random.Next(4) == 0) book.Busiest(10); // asked meanwhile (it is kept until the book changes)
        }
        foreach (var cell in cells.Values) ReadRegisters(cell); // the periodic reconciliation
        if (random.Next(2) == 0) book.Busiest(10);
        MaybeSettle();
        var live = CountyProjection.View(county, book.Cases, book.Travellers, at, Offset, Rules, controls: book.Controls, settled: book.Settled);
        book.Busiest(10).ShouldBe(whole.Busiest(10), $"seed {seed.Get}: busiest cells, settled cases counted in their cells");
        CountyProjection.Indicators(county, whole.Cases, at, Offset).ShouldBe(live.Indicators, $"seed {seed.Get}: settled and whole books");
        // Settled, the book holds no case before the window whole (issue 18), and counts the same.
        book.Settle(settledAt);
        var firstOfWindow = settledAt.LocalDay(Offset).AddDays(1 - CountyIndicators.WindowDays);
        book.Cases.ShouldAllBe(c => c.OccurredAt.LocalDay(Offset) >= firstOfWindow, $"seed {seed.Get}: only the window held whole");
        CountyProjection.Indicators(county, book.Cases, at, Offset, book.Settled).ShouldBe(live.Indicators, $"seed {seed.Get}: settled again");

        // Replay: the recorded events alone.
        var replay = new CountyReplay(county, Offset, recorded.Select(r =>
            new StoredEvent(r.Seq, StreamKeys.Cell(r.CellId), r.Version, r.Event.GetType().Name, r.Event, r.Event.Meta.RecordedAt)));
        replay.AdvanceTo(at);
        var replayed = replay.View(at, Rules);

        replayed.Indicators.ShouldBe(live.Indicators, $"seed {seed.Get}: indicators");
        replayed.Travellers.ShouldBe(live.Travellers, $"seed {seed.Get}: travellers");
        replayed.Controls.ShouldBe(live.Controls, $"seed {seed.Get}: cells closed and controlled");
        foreach (var (ruleSet, decision) in live.Colours)
        {
            var other = replayed.Colours[ruleSet];
            (other.Level, other.Colour).ShouldBe((decision.Level, decision.Colour), $"seed {seed.Get}: {ruleSet}");
            other.Reasons.ShouldBe(decision.Reasons, $"seed {seed.Get}: {ruleSet} reasons");
        }
    }
}
