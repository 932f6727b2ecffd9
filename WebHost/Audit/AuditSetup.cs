namespace EpiGrid.WebHost.Audit;

public static class AuditSetup
{
    /// <summary>The HTTP side of the audit reads; the reads themselves run in the silo (<see cref="IHistoryGrain"/>).</summary>
    public static IServiceCollection AddEpiGridAudit(this IServiceCollection services)
    {
        services.AddSingleton<QueryRecords>();
        services.AddSingleton<History>();
        services.AddSingleton<WhatIfRequests>();
        services.AddSingleton<EventExport>();
        return services;
    }
}
