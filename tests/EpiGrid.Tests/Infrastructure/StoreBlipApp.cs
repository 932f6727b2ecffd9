using Microsoft.Extensions.DependencyInjection;

namespace EpiGrid.Tests.Infrastructure;

/// <summary>The platform with a store blip in front of the silo's event log (every silo it starts).</summary>
public sealed class StoreBlipApp : EpiGridApp
{
    public StoreBlip Blip { get; } = new();
    protected override void DecorateSilo(IServiceCollection services) => Blip.Install(services);
}
