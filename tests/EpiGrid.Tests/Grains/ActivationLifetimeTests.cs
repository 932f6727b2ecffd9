using EpiGrid.Cells;
using EpiGrid.People;
using EpiGrid.Platform;
using EpiGrid.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace EpiGrid.Tests.Grains;

/// <summary>
/// Issue 18, memory that follows the live state: a person touched once leaves the silo's memory after
/// <c>Activations:PersonIdle</c> (Orleans' own default would keep every person of the last quarter hour), while cells
/// keep Orleans' longer default. What leaves memory is read again from the store when next called.
/// </summary>
public sealed class ActivationLifetimeTests
{
    static readonly Provenance Tester = new("tester", "test");

    static Task<TestSilo> Start(TestDatabase db, string name, Dictionary<string, string?> settings) =>
        TestSilo.Start(db.ConnectionString, new FakeTimeProvider(new DateTimeOffset(2020, 2, 20, 10, 0, 0, TimeSpan.FromHours(8))),
            name + "-" + Guid.NewGuid().ToString("N")[..8], settings);

    /// <summary>Activations of the grain class <paramref name="type"/> (full name) in the cluster.</summary>
    static async Task<int> Active(TestSilo silo, string type) =>
        (await silo.Grains.GetGrain<IManagementGrain>(0).GetSimpleGrainStatistics())
            .Where(s => s.GrainType.Contains(type, StringComparison.Ordinal)).Sum(s => s.ActivationCount);

    [Fact]
    public async Task An_idle_person_is_deactivated_after_PersonIdle_and_answers_from_the_store_when_called_again_while_its_cell_stays()
    {
        await using var db = await TestDatabase.Create();
        await using var silo = await Start(db, "idle",
            new Dictionary<string, string?> { ["Activations:PersonIdle"] = "00:00:03", ["Activations:CollectionQuantum"] = "00:00:01" });
        Task<int> Active(string type) => ActivationLifetimeTests.Active(silo, type);

        const string cellId = "330782-001-001";
        var cell = silo.Grains.GetGrain<ICellGrain>(cellId);
        await cell.Execute([new RegisterCell(Tester, "Test cell", 300)]);
        var persons = Enumerable.Range(1, 5).Select(i => silo.Grains.GetGrain<IPersonGrain>($"idle-person-{i}")).ToList();
        foreach (var person in persons) (await person.GetCode()).ShouldBeNull("no one of that reference is on record");
        (await Active("EpiGrid.Grains.People.PersonGrain")).ShouldBe(persons.Count);

        await Eventually.True(async () => await Active("EpiGrid.Grains.People.PersonGrain") == 0, TimeSpan.FromSeconds(20),
            "idle persons leave memory after Activations:PersonIdle");
        (await Active("EpiGrid.Grains.Cells.CellGrain")).ShouldBe(1, "a cell keeps Orleans' default idle time");
        (await persons[0].GetCode()).ShouldBeNull("a person called again is activated again and reads the store");
        (await Active("EpiGrid.Grains.People.PersonGrain")).ShouldBe(1);
    }

    /// <summary>
    /// The shedding is Orleans' own; what is ours is that the settings reach it. A limit of a hundredth of a percent of this
    /// machine's memory is passed by any test process, so persons that would stay 10 idle minutes are shed at once.
    /// </summary>
    [Fact]
    public async Task Past_the_memory_limit_idle_grains_are_shed_before_their_idle_time()
    {
        await using var db = await TestDatabase.Create();
        await using var silo = await Start(db, "shed", new Dictionary<string, string?>
        {
            ["Activations:PersonIdle"] = "00:10:00", ["Activations:MemoryLimitPercent"] = "0.01", ["Activations:MemoryTargetPercent"] = "0.001",
        });
        Task<int> Persons() => Active(silo, "EpiGrid.Grains.People.PersonGrain");
        var persons = Enumerable.Range(1, 5).Select(i => silo.Grains.GetGrain<IPersonGrain>($"shed-person-{i}")).ToList();
        foreach (var person in persons) await person.GetCode();
        await Eventually.True(async () => await Persons() == 0, TimeSpan.FromSeconds(30),
            "past Activations:MemoryLimitPercent, idle persons are deactivated long before Activations:PersonIdle");
    }
}
