using EpiGrid.Geography;
using EpiGrid.WebHost.Web;

namespace EpiGrid.Tests.Ui;

public sealed class HexCartogramTests
{
    static readonly IReadOnlyList<County> Counties = Province.Load(new GeographyOptions(), AppContext.BaseDirectory).Counties;

    [Fact]
    public void Every_county_gets_its_own_hexagon_and_the_same_data_gives_the_same_map()
    {
        var tiles = HexCartogram.Layout(Counties);
        tiles.Count.ShouldBe(90);
        tiles.Values.Select(t => (t.Q, t.R)).Distinct().Count().ShouldBe(90);
        HexCartogram.Layout(Counties).ShouldBe(tiles);
    }

    [Fact]
    public void The_map_keeps_the_provinces_shape_Zhoushan_east_of_Hangzhou_and_Wenzhou_south_of_it()
    {
        var tiles = HexCartogram.Layout(Counties);
        tiles["330921"].X.ShouldBeGreaterThan(tiles["330102"].X); // Daishan (Zhoushan) east of Shangcheng (Hangzhou)
        tiles["330302"].Y.ShouldBeGreaterThan(tiles["330102"].Y); // Lucheng (Wenzhou) south of Shangcheng
        tiles["330802"].X.ShouldBeLessThan(tiles["330102"].X);    // Kecheng (Quzhou) west of Shangcheng
    }
}
