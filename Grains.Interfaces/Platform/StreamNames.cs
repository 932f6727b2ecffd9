namespace EpiGrid.Platform;

/// <summary>Names of the Orleans streams cells and counties publish on.</summary>
public static class StreamNames
{
    public const string Provider = "epigrid";
    /// <summary>Cells publish into their county's stream (id: county code): one stream per county, not per cell.</summary>
    public const string CellChanges = "cell-changes";
    /// <summary>Counties publish into the province's stream (id: "province").</summary>
    public const string CountyChanges = "county-changes";
}
