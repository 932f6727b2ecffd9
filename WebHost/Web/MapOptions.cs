namespace EpiGrid.WebHost.Web;

/// <summary>The web app's map (section "Map").</summary>
public sealed record MapOptions
{
    public const string Section = "Map";

    /// <summary>
    /// An official boundary file, GeoJSON or TopoJSON, whose features carry the county code (feature id, or property
    /// code/adcode). Relative paths resolve against the app folder. Empty: the built-in hexagon cartogram.
    /// </summary>
    public string? BoundaryFile { get; init; }

    public string? BoundaryPath => BoundaryFile is not { Length: > 0 } file ? null
        : Path.IsPathRooted(file) ? file : Path.Combine(AppContext.BaseDirectory, file);
}
