using EpiGrid.Grains.Audit;
using EpiGrid.Grains.Storage;
using Marten;
using Microsoft.Extensions.DependencyInjection;

namespace EpiGrid.Grains.History;

public static class HistorySetup
{
    /// <summary>The history's readers (<see cref="HistoryGrain"/>) over the event store, through a connection pool of their own.</summary>
    public static IServiceCollection AddEpiGridHistory(this IServiceCollection services, string connectionString)
    {
        services.AddSingleton(sp => new PostgresEventHistory(connectionString, sp.GetRequiredService<IDocumentStore>()));
        services.AddSingleton<IEventHistory>(sp => sp.GetRequiredService<PostgresEventHistory>());
        services.AddSingleton<Replay>();
        services.AddSingleton<ColourExplanations>();
        services.AddSingleton<WhatIf>();
        services.AddSingleton<ChainVerifier>();
        services.AddSingleton<DigestArchive>();
        services.AddSingleton<CaseChains>();
        return services;
    }
}
