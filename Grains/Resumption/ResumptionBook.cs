using EpiGrid.Resumption;

namespace EpiGrid.Grains.Resumption;

/// <summary>A county's enterprises, readings by day and the tallies they give; the resumption grain's state.</summary>
sealed class ResumptionBook
{
    readonly ResumptionIndexRule rule;
    readonly Dictionary<string, Enterprise> enterprises = new(StringComparer.Ordinal);
    readonly Dictionary<DateOnly, Dictionary<string, double>> days = [];
    readonly Dictionary<DateOnly, Dictionary<string, int>> staff = [];
    readonly Dictionary<DateOnly, ResumptionTally> tallies = [];

    public ResumptionBook(ResumptionIndexRule rule, IEnumerable<Enterprise> enterprises, IEnumerable<ResumptionDayRecord> records, long version)
    {
        this.rule = rule;
        foreach (var e in enterprises) this.enterprises[e.Id] = e;
        foreach (var r in records)
        {
            days[r.Day] = new Dictionary<string, double>(r.Kwh, StringComparer.Ordinal);
            if (r.Staff.Count > 0) staff[r.Day] = new Dictionary<string, int>(r.Staff, StringComparer.Ordinal);
        }
        foreach (var day in days.Keys) Recount(day);
        Version = version;
    }

    public long Version { get; set; }
    public IReadOnlyDictionary<string, Enterprise> Enterprises => enterprises;

    public IReadOnlyDictionary<DateOnly, ResumptionTally> Tallies() => new Dictionary<DateOnly, ResumptionTally>(tallies);

    public IEnumerable<DateOnly> DaysOf(string enterpriseId) => days.Where(d => d.Value.ContainsKey(enterpriseId)).Select(d => d.Key);

    /// <summary>New readings, repeats of recorded ones, and the rest with why (in this list and against the book).</summary>
    public (List<ElectricityReading> Accepted, int Duplicates, List<ReadingRejected> Rejected) Sort(IReadOnlyList<ElectricityReading> readings)
    {
        var accepted = new List<ElectricityReading>();
        var rejected = new List<ReadingRejected>();
        var duplicates = 0;
        var sent = new Dictionary<(string, DateOnly), double>();
        for (var i = 0; i < readings.Count; i++)
        {
            var r = readings[i];
            if (!enterprises.ContainsKey(r.EnterpriseId))
                rejected.Add(new ReadingRejected(i, "enterpriseId", "Not registered in this county."));
            else if ((Recorded(r.EnterpriseId, r.Day) ?? (sent.TryGetValue((r.EnterpriseId, r.Day), out var earlier) ? earlier : null)) is { } known)
            {
                if (known == r.Kwh) duplicates++;
                else rejected.Add(new ReadingRejected(i, "kwh", $"A different reading ({known} kWh) is already recorded for this enterprise and day."));
            }
            else
            {
                accepted.Add(r);
                sent[(r.EnterpriseId, r.Day)] = r.Kwh;
            }
        }
        return (accepted, duplicates, rejected);
    }

    /// <summary>Staff reports that change something (new or another number), and how many repeat what is recorded.</summary>
    public (List<StaffReport> Accepted, int Duplicates, List<ReadingRejected> Rejected) Sort(IReadOnlyList<StaffReport> reports)
    {
        var accepted = new Dictionary<(string, DateOnly), StaffReport>();
        var rejected = new List<ReadingRejected>();
        var duplicates = 0;
        for (var i = 0; i < reports.Count; i++)
        {
            var r = reports[i];
            var known = accepted.TryGetValue((r.EnterpriseId, r.Day), out var sent) ? sent.StaffAtWork
                : staff.GetValueOrDefault(r.Day)?.GetValueOrDefault(r.EnterpriseId, -1) ?? -1;
            if (!enterprises.ContainsKey(r.EnterpriseId)) rejected.Add(new ReadingRejected(i, "enterpriseId", "Not registered in this county."));
            else if (known == r.StaffAtWork) duplicates++;
            else accepted[(r.EnterpriseId, r.Day)] = r;
        }
        return (accepted.Values.ToList(), duplicates, rejected);
    }

    /// <summary>The day registers as they will be once <paramref name="readings"/> and <paramref name="reports"/> are applied.</summary>
    public List<object> DayRecordsWith(string county, IReadOnlyList<ElectricityReading> readings, IReadOnlyList<StaffReport>? reports = null) =>
        readings.Select(r => r.Day).Concat(reports?.Select(r => r.Day) ?? []).Distinct().Select(day =>
        {
            var kwh = new Dictionary<string, double>(days.GetValueOrDefault(day) ?? [], StringComparer.Ordinal);
            foreach (var r in readings.Where(r => r.Day == day)) kwh[r.EnterpriseId] = r.Kwh;
            var people = new Dictionary<string, int>(staff.GetValueOrDefault(day) ?? [], StringComparer.Ordinal);
            foreach (var r in reports?.Where(r => r.Day == day) ?? []) people[r.EnterpriseId] = r.StaffAtWork;
            return (object)new ResumptionDayRecord
            {
                Id = ResumptionDayRecord.IdOf(county, day), County = county, Day = day, Kwh = kwh, Staff = people, Tally = TallyOf(kwh, people),
            };
        }).ToList();

    public void Apply(IEnumerable<ElectricityReading> readings)
    {
        foreach (var g in readings.GroupBy(r => r.Day))
        {
            if (!days.TryGetValue(g.Key, out var kwh)) days[g.Key] = kwh = new(StringComparer.Ordinal);
            foreach (var r in g) kwh[r.EnterpriseId] = r.Kwh;
            Recount(g.Key);
        }
    }

    public void Apply(IEnumerable<StaffReport> reports)
    {
        foreach (var g in reports.GroupBy(r => r.Day))
        {
            if (!staff.TryGetValue(g.Key, out var people)) staff[g.Key] = people = new(StringComparer.Ordinal);
            foreach (var r in g) people[r.EnterpriseId] = r.StaffAtWork;
            if (!days.ContainsKey(g.Key)) days[g.Key] = new(StringComparer.Ordinal);
            Recount(g.Key);
        }
    }

    public void Register(Enterprise enterprise)
    {
        enterprises[enterprise.Id] = enterprise;
        foreach (var day in DaysOf(enterprise.Id).ToList()) Recount(day);
    }

    double? Recorded(string enterpriseId, DateOnly day) =>
        days.TryGetValue(day, out var kwh) && kwh.TryGetValue(enterpriseId, out var value) ? value : null;

    void Recount(DateOnly day) => tallies[day] = TallyOf(days[day], staff.GetValueOrDefault(day));

    /// <summary>By industry (as each enterprise is registered now), so a day's total and its industries come from one fold.</summary>
    ResumptionTally TallyOf(Dictionary<string, double> kwh, Dictionary<string, int>? people) => rule.Tally(kwh
        .Select(r => enterprises.GetValueOrDefault(r.Key) is { } e ? (e.Industry, r.Value, e.BaselineKwhPerDay) : ("", r.Value, 0d)))
        with { StaffAtWork = people?.Values.Sum() ?? 0, StaffReports = people?.Count ?? 0 };
}
