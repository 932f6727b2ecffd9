namespace EpiGrid.WebHost.Web;

/// <summary>A county's hexagon: its centre in hex-radius units (y grows southwards), and its axial grid place.</summary>
public sealed record HexTile(int Q, int R, double X, double Y);

/// <summary>
/// A licence-clean map: every county gets one pointy-top hexagon near its representative point. Points are projected
/// (longitude scaled by the cosine of the mean latitude), scaled so the province covers about as many hexagons as it
/// has counties, and each county takes the free hexagon nearest to it. Pairs are taken globally nearest first, so
/// crowded city districts spread outwards while the rest stay put. Deterministic: same data, same map.
/// </summary>
public static class HexCartogram
{
    static readonly double Sqrt3 = Math.Sqrt(3);

    public static IReadOnlyDictionary<string, HexTile> Layout(IReadOnlyList<County> counties, double spacing = 0.85)
    {
        if (counties.Count == 0) return new Dictionary<string, HexTile>();
        var cos = Math.Cos(counties.Average(c => c.Lat) * Math.PI / 180);
        var points = counties.Select(c => (c.Code, X: c.Lon * cos, Y: -c.Lat)).ToList();
        double minX = points.Min(p => p.X), maxX = points.Max(p => p.X), minY = points.Min(p => p.Y), maxY = points.Max(p => p.Y);
        // A hexagon of radius 1 covers 1.5·√3 square units. At spacing 1 the bounding box holds about one hexagon per
        // county; below 1 the map spreads out, so clustered city districts crowd out less of the province's shape.
        var scale = Math.Sqrt(counties.Count * 1.5 * Sqrt3 / Math.Max((maxX - minX) * (maxY - minY), 1e-9)) / spacing;
        var placed = points.Select(p => (p.Code, X: (p.X - minX) * scale, Y: (p.Y - minY) * scale)).ToList();

        var reach = (int)Math.Ceiling(Math.Sqrt(counties.Count)) + 2;
        var candidates = new List<(double Distance, int County, int Q, int R)>();
        for (var i = 0; i < placed.Count; i++)
        {
            var (q0, r0) = Nearest(placed[i].X, placed[i].Y);
            for (var dq = -reach; dq <= reach; dq++)
                for (var dr = Math.Max(-reach, -dq - reach); dr <= Math.Min(reach, -dq + reach); dr++)
                {
                    var (x, y) = Centre(q0 + dq, r0 + dr);
                    candidates.Add((Math.Pow(x - placed[i].X, 2) + Math.Pow(y - placed[i].Y, 2), i, q0 + dq, r0 + dr));
                }
        }

        var tiles = new Dictionary<string, HexTile>(StringComparer.Ordinal);
        var taken = new HashSet<(int, int)>();
        foreach (var c in candidates.OrderBy(c => c.Distance).ThenBy(c => placed[c.County].Code, StringComparer.Ordinal).ThenBy(c => c.Q).ThenBy(c => c.R))
        {
            var code = placed[c.County].Code;
            if (tiles.ContainsKey(code) || !taken.Add((c.Q, c.R))) continue;
            var (x, y) = Centre(c.Q, c.R);
            tiles[code] = new HexTile(c.Q, c.R, Math.Round(x, 4), Math.Round(y, 4));
            if (tiles.Count == placed.Count) break;
        }
        return tiles;
    }

    static (double X, double Y) Centre(int q, int r) => (Sqrt3 * (q + r / 2.0), 1.5 * r);

    static (int Q, int R) Nearest(double x, double y)
    {
        double q = (Sqrt3 / 3 * x - y / 3) / 1, r = 2.0 / 3 * y;
        double s = -q - r, rq = Math.Round(q), rr = Math.Round(r), rs = Math.Round(s);
        double dq = Math.Abs(rq - q), dr = Math.Abs(rr - r), ds = Math.Abs(rs - s);
        if (dq > dr && dq > ds) rq = -rr - rs;
        else if (dr > ds) rr = -rq - rs;
        return ((int)rq, (int)rr);
    }
}
