using EpiGrid.Geography;
using EpiGrid.Grains.Storage;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using EpiGrid.Cells;
using EpiGrid.Platform;

namespace EpiGrid.Grains.Seeding;

/// <summary>
/// Seeds the grid cells of a realistic province into an empty store, county by county, each county in one
/// transaction, so an interrupted seeding resumes where it stopped. Cells are only written, never activated.
/// </summary>
public sealed class ProvinceSeeder(
    IDocumentStore store,
    Province province,
    IOptions<SeedingOptions> options,
    [FromKeyedServices(Clocks.Domain)] TimeProvider clock,
    ILogger<ProvinceSeeder> log) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        if (o.Cells <= 0) return;
        var counts = CellPlan.CountsPerCounty(province.Counties, o.Cells);
        var started = DateTime.UtcNow;
        var seeded = 0;
        foreach (var county in province.Counties)
        {
            await using var session = store.LightweightSession();
            if (await session.Query<CellRecord>().AnyAsync(c => c.County == county.Code, cancellationToken)) continue;
            var now = clock.GetUtcNow();
            var meta = new EventMeta("seed", "reference-data", now, now, "Seeded grid cell");
            foreach (var cell in CellPlan.CellsOf(county, counts[county.Code], o))
            {
                session.Events.StartStream(StreamKeys.Cell(cell.CellId),
                    new CellRegistered(cell.CellId, county.Code, cell.Name, cell.Households, meta));
                session.Store(new CellRecord { Id = cell.CellId, County = county.Code, Name = cell.Name, Households = cell.Households, Version = 1 });
                seeded++;
            }
            await session.SaveChangesAsync(cancellationToken);
        }
        if (seeded > 0)
            log.LogInformation("Seeded {Cells} grid cells in {Seconds:0.0} s", seeded, (DateTime.UtcNow - started).TotalSeconds);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
