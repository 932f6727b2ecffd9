using EpiGrid.Geography;
using EpiGrid.Counties.Rules;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace EpiGrid.Platform;

/// <summary>The reference data, the rule book, the measures table and the domain clock: one registration for silos and web hosts.</summary>
public static class DomainServices
{
    public static IServiceCollection AddEpiGridDomain(this IServiceCollection services)
    {
        services.AddOptions<GeographyOptions>().BindConfiguration(GeographyOptions.Section);
        services.AddSingleton(sp => Province.Load(sp.GetRequiredService<IOptions<GeographyOptions>>().Value, AppContext.BaseDirectory));

        services.AddOptions<RuleOptions>().BindConfiguration(RuleOptions.Section);
        services.AddSingleton(sp => new RuleBook(sp.GetRequiredService<IOptions<RuleOptions>>().Value));
        services.AddOptions<MeasureOptions>().BindConfiguration(MeasureOptions.Section);
        services.AddSingleton(sp => new MeasureTable(sp.GetRequiredService<IOptions<MeasureOptions>>().Value));

        // Tests replace this with a FakeTimeProvider; Orleans keeps the unkeyed system clock (see Clocks).
        services.TryAddKeyedSingleton<TimeProvider>(Clocks.Domain, TimeProvider.System);
        return services;
    }
}
