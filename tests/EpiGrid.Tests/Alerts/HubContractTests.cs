using EpiGrid.WebHost.Alerts;
using EpiGrid.WebHost.Web;

namespace EpiGrid.Tests.Alerts;

/// <summary>
/// The typed hubs send each client method's C# name verbatim and clients match names case-sensitively: renaming a
/// method of <see cref="IGridClient"/> or <see cref="IPublicClient"/> would silently break every client.
/// </summary>
public class HubContractTests
{
    [Fact]
    public void The_grid_hub_pushes_exactly_the_published_method_names() =>
        typeof(IGridClient).GetMethods().Select(m => m.Name)
            .ShouldBe(["alert", "alertUpdated", "cellChanged", "countyChanged", "provinceChanged", "resumptionChanged"], ignoreOrder: true);

    [Fact]
    public void The_public_hub_pushes_only_county_and_province_changes() =>
        typeof(IPublicClient).GetMethods().Select(m => m.Name).ShouldBe(["countyChanged", "provinceChanged"], ignoreOrder: true);
}
