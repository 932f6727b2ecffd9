namespace EpiGrid.Counties.Rules;

/// <summary>The five risk levels of Zhejiang's map; three- and four-level rule sets use a subset.</summary>
public enum RiskLevel { Low = 0, FairlyLow = 1, Medium = 2, FairlyHigh = 3, High = 4 }

public static class RiskLevels
{
    public static string Name(this RiskLevel level) => level switch
    {
        RiskLevel.Low => "low",
        RiskLevel.FairlyLow => "fairly-low",
        RiskLevel.Medium => "medium",
        RiskLevel.FairlyHigh => "fairly-high",
        RiskLevel.High => "high",
        _ => throw new ArgumentOutOfRangeException(nameof(level)),
    };

    /// <summary>The colours of the map, most severe first.</summary>
    public static readonly IReadOnlyList<string> Colours = ["red", "orange", "yellow", "blue", "green"];
}
