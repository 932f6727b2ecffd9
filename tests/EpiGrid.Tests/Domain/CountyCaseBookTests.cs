using EpiGrid.Cells;
using EpiGrid.Counties;

namespace EpiGrid.Tests.Domain;

/// <summary>
/// The county's book at the edges the property test reaches only by chance: a settled case that changes, a message that
/// does not say what its cases were, and a case id with two register rows.
/// </summary>
public class CountyCaseBookTests
{
    static readonly TimeSpan Offset = TimeSpan.FromHours(8);
    static readonly DateTimeOffset Now = new(2020, 3, 1, 12, 0, 0, Offset);
    const string Cell = "330782-001-001";

    static CaseFact Confirmed(string id, long version, CaseStatus status = CaseStatus.Active) =>
        new(id, Cell, CaseKind.Confirmed, true, null, Now.AddDays(-30), status, version);

    [Fact]
    public void A_settled_case_that_changes_comes_off_its_counts_and_is_counted_once_as_it_now_is()
    {
        var book = new CountyCaseBook(Offset);
        var reported = Confirmed("c1", 1);
        book.Apply(new CellChanged(Cell, 1, [reported], 0, 0, Before: [null])).ShouldBeTrue();
        book.Settle(Now);
        book.Cases.ShouldBeEmpty();
        (book.Settled.Confirmed, book.Settled.Active).ShouldBe((1, 1));

        var recovered = reported with { Status = CaseStatus.Recovered, Version = 2 };
        book.Apply(new CellChanged(Cell, 2, [recovered], 0, 1, Before: [reported])).ShouldBeTrue();
        book.Cases.ShouldBe([recovered]);
        (book.Settled.Confirmed, book.Settled.Active).ShouldBe((0, 0));

        book.Settle(Now);
        (book.Settled.Confirmed, book.Settled.Active, book.Settled.Recovered, book.Settled.Count).ShouldBe((1, 0, 1, 1));
        book.Busiest(5).ShouldBe([new CellActivity(Cell, 0, 1, 0)]);
    }

    [Fact]
    public void A_message_that_does_not_say_what_its_cases_were_is_not_taken_and_the_cell_is_read_instead()
    {
        var book = new CountyCaseBook(Offset);
        var reported = Confirmed("c1", 1);
        var fromAnOldSilo = new CellChanged(Cell, 1, [reported], 0, 0);
        book.Misses(fromAnOldSilo).ShouldBeTrue();
        book.Apply(fromAnOldSilo).ShouldBeFalse();
        book.KnownVersion(Cell).ShouldBe(0);
        book.Cases.ShouldBeEmpty();

        book.Replace([new CellTally(Cell, 1, 0)], [reported]);
        book.Apply(fromAnOldSilo).ShouldBeTrue(); // now a repeat
        book.Cases.ShouldBe([reported]);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_case_id_with_two_register_rows_counts_once_at_its_latest_version(bool latestFirst)
    {
        var book = new CountyCaseBook(Offset);
        var old = Confirmed("c1", 1);
        var latest = old with { Status = CaseStatus.Died, Version = 4 };
        book.Replace([new CellTally(Cell, 4, 0)], latestFirst ? [latest, old] : [old, latest]);
        book.Cases.ShouldBe([latest]);
        book.Settle(Now);
        (book.Settled.Confirmed, book.Settled.Died, book.Settled.Active).ShouldBe((1, 1, 0));
    }
}
