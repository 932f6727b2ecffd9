using EpiGrid.Resumption;
using Marten;
using EpiGrid.Platform;

namespace EpiGrid.Grains.Resumption;

/// <summary>A registered enterprise. Id = enterprise id. Written with its county's events; rebuildable from them.</summary>
public sealed class EnterpriseRecord
{
    public string Id { get; set; } = "";
    public string County { get; set; } = "";
    public string? CellId { get; set; }
    public string Name { get; set; } = "";
    public string Industry { get; set; } = "";
    public double BaselineKwhPerDay { get; set; }

    public static EnterpriseRecord From(Enterprise e) => new()
    {
        Id = e.Id, County = e.County, CellId = e.CellId, Name = e.Name, Industry = e.Industry, BaselineKwhPerDay = e.BaselineKwhPerDay,
    };

    public Enterprise ToEnterprise() => new(Id, County, CellId, Name, Industry, BaselineKwhPerDay);
}

/// <summary>
/// One county's readings of one day (Id = "&lt;county&gt;:&lt;yyyy-MM-dd&gt;"): what makes a re-upload a duplicate, and
/// what a county wakes up from instead of replaying its stream. Committed with the readings' event.
/// </summary>
public sealed class ResumptionDayRecord
{
    public string Id { get; set; } = "";
    public string County { get; set; } = "";
    public DateOnly Day { get; set; }
    public Dictionary<string, double> Kwh { get; set; } = new(StringComparer.Ordinal);
    public Dictionary<string, int> Staff { get; set; } = new(StringComparer.Ordinal);
    public ResumptionTally Tally { get; set; } = ResumptionTally.Zero;

    public static string IdOf(string county, DateOnly day) => $"{county}:{day:yyyy-MM-dd}";
}

/// <summary>Reads what the store holds for a county's resumption figures.</summary>
public sealed class ResumptionRecords(IDocumentStore store, Microsoft.Extensions.Options.IOptions<ResumptionOptions> options)
{
    public async Task<(IReadOnlyList<EnterpriseRecord> Enterprises, IReadOnlyList<ResumptionDayRecord> Days, long Version)> ForCounty(
        string county, CancellationToken cancellationToken = default)
    {
        await using var session = store.QuerySession();
        var enterprises = await session.Query<EnterpriseRecord>().Where(e => e.County == county).ToListAsync(cancellationToken);
        var days = await session.Query<ResumptionDayRecord>().Where(d => d.County == county).ToListAsync(cancellationToken);
        var stream = await session.Events.FetchStreamStateAsync(StreamKeys.Resumption(county), cancellationToken);
        return (enterprises, days, stream?.Version ?? 0);
    }

    /// <summary>The county's resumption stream, oldest first: for replay at a past moment.</summary>
    public async Task<IReadOnlyList<IEpiEvent>> History(string county, CancellationToken cancellationToken = default)
    {
        // Bounded: Npgsql asks PostgreSQL to cancel the read past the timeout (a province-wide replay wakes 90 of these).
        await using var session = store.QuerySession(new Marten.Services.SessionOptions
        {
            Timeout = Math.Max(1, (int)Math.Ceiling(options.Value.ReplayStatementTimeout.TotalSeconds)),
        });
        var events = await session.Events.FetchStreamAsync(StreamKeys.Resumption(county), token: cancellationToken);
        return events.Select(e => e.Data).OfType<IEpiEvent>().ToList();
    }

    /// <summary>Every enterprise's county, for the directory.</summary>
    public async Task<Dictionary<string, string>> Counties(CancellationToken cancellationToken = default)
    {
        await using var session = store.QuerySession();
        var pairs = await session.Query<EnterpriseRecord>().Select(e => new EnterpriseCounty { Id = e.Id, County = e.County })
            .ToListAsync(cancellationToken);
        return pairs.ToDictionary(p => p.Id, p => p.County, StringComparer.Ordinal);
    }

    public sealed class EnterpriseCounty
    {
        public string Id { get; set; } = "";
        public string County { get; set; } = "";
    }
}
