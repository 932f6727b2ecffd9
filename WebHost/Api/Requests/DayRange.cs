using System.Globalization;

namespace EpiGrid.WebHost.Api.Requests;

/// <summary>
/// A range of local days asked in a query (<c>from</c>, <c>to</c>: yyyy-MM-dd), for the reads that count per day (epidemic
/// curves, the map's history): by default the last <c>defaultDays</c> up to today, at most <c>maxDays</c>, each mistake
/// named by its parameter.
/// </summary>
static class DayRange
{
    public static (DateOnly From, DateOnly To) Read(IQueryCollection query, DateOnly today, int defaultDays, int maxDays, FieldErrors errors,
        bool notAfterToday = false)
    {
        var to = Day(query, "to", errors) ?? today;
        var from = Day(query, "from", errors) ?? to.AddDays(1 - defaultDays);
        if (notAfterToday && to > today) errors.Add("to", $"Must not be after today ({today:yyyy-MM-dd}).");
        if (from > to) errors.Add("from", "Must not be after to.");
        else if (to.DayNumber - from.DayNumber + 1 > maxDays) errors.Add("from", $"At most {maxDays} days.");
        else if (from < DateOnly.FromDateTime(EpiGrid.Audit.Moment.Earliest.UtcDateTime)) errors.Add("from", $"Must not be before {EpiGrid.Audit.Moment.Earliest:yyyy-MM-dd}.");
        return (from, to);
    }

    /// <summary>The local day the query gives under <paramref name="name"/>; null when it gives none, or (with the error) a bad one.</summary>
    public static DateOnly? Day(IQueryCollection query, string name, FieldErrors errors)
    {
        if (query[name].Count == 0) return null;
        if (query[name].Count == 1 && DateOnly.TryParseExact(query[name][0], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)) return day;
        errors.Add(name, "Must be one local day, yyyy-MM-dd.");
        return null;
    }
}
