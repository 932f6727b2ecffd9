using EpiGrid.Resumption;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace EpiGrid.Grains.Resumption;

public static class ResumptionSetup
{
    /// <summary>The resumption index's options, its rule and the store reads of its grains.</summary>
    public static IServiceCollection AddEpiGridResumption(this IServiceCollection services)
    {
        services.AddOptions<ResumptionOptions>().BindConfiguration(ResumptionOptions.Section);
        services.AddSingleton(sp => new ResumptionIndexRule(sp.GetRequiredService<IOptions<ResumptionOptions>>().Value));
        services.AddSingleton<ResumptionRecords>();
        return services;
    }
}
