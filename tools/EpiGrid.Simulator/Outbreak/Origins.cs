namespace EpiGrid.Simulator.Outbreak;

/// <summary>Where arrivals came from in February 2020, with the risk of the area and a share of all arrivals (illustrative).</summary>
public sealed record Origin(string Area, string Risk, double Share)
{
    public static readonly IReadOnlyList<Origin> All =
    [
        new("Wuhan", "high", 0.060), new("Xiaogan", "high", 0.015), new("Huanggang", "high", 0.015), new("Jingzhou", "high", 0.010),
        new("Xinyang", "medium", 0.060), new("Zhumadian", "medium", 0.040), new("Changsha", "medium", 0.050),
        new("Nanchang", "medium", 0.050), new("Fuyang", "medium", 0.060), new("Hefei", "medium", 0.050),
        new("Shanghai", "low", 0.150), new("Suzhou", "low", 0.080), new("Nanjing", "low", 0.060), new("Guiyang", "low", 0.050),
        new("Chongqing", "low", 0.060), new("Shangrao", "low", 0.050), new("Beijing", "low", 0.040), new("Guangzhou", "low", 0.045),
    ];

    public static readonly IReadOnlyList<(string Mode, double Share)> Modes =
        [("train", 0.45), ("car", 0.35), ("bus", 0.12), ("flight", 0.08)];
}
