using Microsoft.Extensions.DependencyInjection;

namespace EpiGrid.Grains.Audit;

public static class AuditTrailSetup
{
    /// <summary>
    /// The event chain and the province digests. Register after Marten and before seeding: hosted services start
    /// in order, and the chain must exist before the first seeded event is written.
    /// </summary>
    public static IServiceCollection AddEpiGridAuditTrail(this IServiceCollection services)
    {
        services.AddOptions<AuditOptions>().BindConfiguration(AuditOptions.Section);
        services.AddHostedService<EventChainInstaller>();
        services.AddSingleton<DigestSigner>();
        services.AddSingleton<ChainDigests>();
        services.AddHostedService(sp => sp.GetRequiredService<ChainDigests>());
        return services;
    }
}
