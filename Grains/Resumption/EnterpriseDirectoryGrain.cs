using EpiGrid.Resumption;

namespace EpiGrid.Grains.Resumption;

/// <summary>
/// Every enterprise's county, in memory (100,000 ids are a few megabytes), loaded from the enterprise register when
/// it wakes. Registration commits in the county first and tells the directory after, so the register is the truth.
/// </summary>
public sealed class EnterpriseDirectoryGrain(ResumptionRecords records) : Grain, IEnterpriseDirectoryGrain
{
    Dictionary<string, string> counties = null!;

    public override async Task OnActivateAsync(CancellationToken cancellationToken) =>
        counties = await records.Counties(cancellationToken);

    public Task<IReadOnlyList<string?>> CountiesOf(IReadOnlyList<string> enterpriseIds) =>
        Task.FromResult<IReadOnlyList<string?>>(enterpriseIds.Select(id => counties.GetValueOrDefault(id)).ToList());

    public Task Learn(IReadOnlyList<Enterprise> registered)
    {
        foreach (var e in registered) counties[e.Id] = e.County;
        return Task.CompletedTask;
    }
}
