namespace EpiGrid.Platform;

/// <summary>Calendar days in the province's local time: what "14 quiet days" and "a day without check-in" count.</summary>
public static class LocalDays
{
    public static DateOnly LocalDay(this DateTimeOffset time, TimeSpan utcOffset) =>
        DateOnly.FromDateTime(time.ToOffset(utcOffset).DateTime);

    /// <summary>The moment a local day begins: its midnight in the province's offset.</summary>
    public static DateTimeOffset Start(this DateOnly day, TimeSpan utcOffset) => new(day.ToDateTime(TimeOnly.MinValue), utcOffset);
}
