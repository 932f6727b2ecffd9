namespace EpiGrid.Platform;

/// <summary>One register after a rebuild: its rows before and after, and how many of them the rebuild wrote or deleted.</summary>
[GenerateSerializer, Immutable, Alias("epigrid.register-rebuild-summary")]
public sealed record RegisterRebuildSummary(
    [property: Id(0)] string Register, [property: Id(1)] int RowsBefore, [property: Id(2)] int RowsAfter, [property: Id(3)] int RowsDiffered);

[GenerateSerializer, Immutable, Alias("epigrid.register-rebuild-report")]
public sealed record RegisterRebuildReport([property: Id(0)] IReadOnlyList<RegisterRebuildSummary> Registers, [property: Id(1)] TimeSpan Took);

/// <summary>
/// Rebuilds the registers from the events in the silo that owns the store (key 0). Calls queue: one rebuild at a time.
/// </summary>
[Alias("EpiGrid.Contracts.IRegistersGrain")] // its name before it moved to Platform/ (FormerWireNames)
public interface IRegistersGrain : IGrainWithIntegerKey
{
    /// <remarks>A province's registers take minutes to rebuild (deploy/README.md), more than a grain call's usual 30 s.</remarks>
    [ResponseTimeout("01:00:00")]
    [Alias("4515F1D9")] // the id this method had before the types of Grains.Interfaces moved (FormerWireNames)
    Task<RegisterRebuildReport> Rebuild();
}
