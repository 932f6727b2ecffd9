using EpiGrid.Platform;

namespace EpiGrid.Grains.Storage;

/// <summary>The registers' rebuild on demand (<c>epigrid rebuild-registers</c>); one activation, so rebuilds never overlap.</summary>
public sealed class RegistersGrain(RegisterRebuild rebuild) : Grain, IRegistersGrain
{
    public Task<RegisterRebuildReport> Rebuild() => rebuild.Run();
}
