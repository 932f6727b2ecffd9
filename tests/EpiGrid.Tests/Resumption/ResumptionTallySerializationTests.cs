using EpiGrid.Resumption;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;

namespace EpiGrid.Tests.Resumption;

/// <summary>A county's tallies cross silos to the province: their industries must arrive as they left.</summary>
public sealed class ResumptionTallySerializationTests
{
    [Fact]
    public void A_tally_with_its_industries_survives_the_wire()
    {
        var serializer = new ServiceCollection().AddSerializer(b => b.AddAssembly(typeof(ResumptionTally).Assembly))
            .BuildServiceProvider().GetRequiredService<Serializer>();
        var tally = new ResumptionIndexRule().Tally([("textiles", 50d, 100d), ("machinery", 300d, 1000d), ("textiles", 20d, 200d)])
            with { StaffAtWork = 12, StaffReports = 1 };

        var copy = serializer.Deserialize<IReadOnlyDictionary<DateOnly, ResumptionTally>>(
            serializer.SerializeToArray<IReadOnlyDictionary<DateOnly, ResumptionTally>>(new Dictionary<DateOnly, ResumptionTally> { [new(2020, 2, 10)] = tally }))
            [new(2020, 2, 10)];

        (copy with { Industries = null }).ShouldBe(tally with { Industries = null });
        copy.Industries!.OrderBy(i => i.Key).ShouldBe(tally.Industries!.OrderBy(i => i.Key));
    }
}
