namespace EpiGrid.WebHost.Audit;

public static class AuditSetup
{
    /// <summary>The read-only audit store and the services over it. The connection string is read when first used.</summary>
    public static IServiceCollection AddEpiGridAudit(this IServiceCollection services)
    {
        services.AddSingleton(sp => new AuditStore(sp.GetRequiredService<IConfiguration>().GetConnectionString("Marten")
            ?? throw new InvalidOperationException("ConnectionStrings:Marten is not configured (audit queries read the event store)")));
        services.AddSingleton<Replay>();
        services.AddSingleton<QueryRecords>();
        services.AddSingleton<History>();
        services.AddSingleton<WhatIf>();
        services.AddSingleton<ColourExplanations>();
        services.AddSingleton<EventExport>();
        services.AddSingleton<ChainVerifier>();
        services.AddSingleton<DigestArchive>();
        // Verification reads through a pool of its own whose sessions carry its statement timeout (HeavyReads:Verify:Timeout).
        services.AddKeyedSingleton(HeavyRead.Verify, (sp, _) => new AuditStore(HeavyReadGate.WithStatementTimeout(
            sp.GetRequiredService<IConfiguration>().GetConnectionString("Marten") ?? throw new InvalidOperationException("ConnectionStrings:Marten is not configured"),
            sp.GetRequiredService<HeavyReadGate>().Policy(HeavyRead.Verify).Timeout)));
        services.AddKeyedSingleton(HeavyRead.Verify, (sp, _) =>
            ActivatorUtilities.CreateInstance<ChainVerifier>(sp, sp.GetRequiredKeyedService<AuditStore>(HeavyRead.Verify)));
        services.AddKeyedSingleton(HeavyRead.Verify, (sp, _) =>
            ActivatorUtilities.CreateInstance<DigestArchive>(sp, sp.GetRequiredKeyedService<AuditStore>(HeavyRead.Verify)));
        return services;
    }
}
