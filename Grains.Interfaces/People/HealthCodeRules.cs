using EpiGrid.Cells;
using EpiGrid.Platform;

namespace EpiGrid.People;

/// <summary>Something that puts a person under watch: an arrival from a risk area, close contact, or symptoms.</summary>
public sealed record Exposure(DateTimeOffset At, ExposureKind Kind, string Detail);

public enum ExposureKind
{
    ArrivalFromHighRisk, ArrivalFromMediumRisk, CloseContact, SymptomsDeclared, PostDischarge,
    /// <summary>A stay in a county that was red or orange (spatial screening, <see cref="SpatialScreening"/>).</summary>
    PlaceHighRisk,
    /// <summary>A stay in a county that was yellow.</summary>
    PlaceMediumRisk,
    /// <summary>A contact of a close contact (次密接).</summary>
    SecondaryContact,
}

/// <summary>
/// A daily check-in (打卡): the person's own report of temperature and symptoms, at its true time, or what a grid worker
/// found at a visit (issue 19), where symptoms may be seen without a temperature taken (null).
/// </summary>
public sealed record CheckIn(DateTimeOffset At, decimal? TemperatureCelsius, IReadOnlyList<string> Symptoms)
{
    /// <summary>China's fever threshold for screening.</summary>
    public const decimal FeverFrom = 37.3m;
    public bool IsNormal => !(TemperatureCelsius >= FeverFrom) && Symptoms.Count == 0;

    /// <summary>"36.8 °C, cough" as the code's reasons and the history show it.</summary>
    public string Describe() => string.Join(", ",
        (TemperatureCelsius is { } t ? [$"{t} °C"] : Array.Empty<string>()).Concat(Symptoms));
}

public sealed record HealthCode(
    string Colour,
    string Reason,
    DateTimeOffset ValidUntil,
    int RequiredDays,
    int NormalDaysInARow,
    string RuleVersion);

/// <summary>
/// Hangzhou's health code rules of 11 February 2020 (杭州健康码): red for an arrival from a high-risk area, close
/// contact with a confirmed case, or declared symptoms, green after 14 consecutive days of normal check-ins;
/// yellow for an arrival from a medium-risk area, green after 7; green otherwise. A day without a check-in breaks
/// the run; an abnormal check-in (fever ≥ 37.3 °C or any symptom) makes the code red and starts 14 days again.
/// Days are local calendar days; the exposure's own day counts as the first day of the run.
/// <para>
/// The person's own cases (issue 16): a confirmed, suspected or asymptomatic case makes the code red for as long as it
/// is open (active, hospitalised or died), whatever the check-ins; a case ruled out no longer counts, so the code is what
/// the other facts say; a recovered case starts a post-discharge observation of 14 days (red, green after 14 consecutive
/// normal check-ins as for any red code). Published practice was 14 days of isolation or medical observation after
/// discharge; that the code is red during it, and counts like any red code, is EpiGrid's reading (docs/rules.md).
/// </para>
/// <para>
/// Where the person has been (issue 16, 空间筛查): a stay in a county that was red or orange under the default rule set
/// counts as an arrival from a high-risk area (red, 14 days), yellow as from a medium-risk area (yellow, 7 days); see
/// <see cref="SpatialScreening"/>. A contact of a close contact (次密接) is yellow for 7 days. Both are EpiGrid's reading.
/// </para>
/// </summary>
public static class HealthCodeRules
{
    public const string Version = "hangzhou-2020-02-11.3";
    public const int RedDays = 14, YellowDays = 7;
    /// <summary>Days of observation after a case recovers (EpiGrid's reading of the post-discharge rule; see above).</summary>
    public const int PostDischargeDays = 14;

    /// <summary>Whether a case of the person's keeps their code red: open, and not ruled out.</summary>
    public static bool IsOpen(PersonCase c) => c.Status is not (CaseStatus.RuledOut or CaseStatus.Recovered);

    public static HealthCode Evaluate(IReadOnlyList<Exposure> exposures, IReadOnlyList<CheckIn> checkIns, DateTimeOffset now, TimeSpan utcOffset,
        IEnumerable<PersonCase>? cases = null)
    {
        var known = (cases ?? []).Where(c => c.ReportedAt <= now && c.StatusAt <= now).ToList();
        var code = FromExposures(exposures.Concat(known.Where(c => c.Status == CaseStatus.Recovered)
            .Select(c => new Exposure(c.StatusAt, ExposureKind.PostDischarge, c.CaseId))).ToList(), checkIns, now, utcOffset);
        if (known.Where(IsOpen).OrderByDescending(c => c.ReportedAt).FirstOrDefault() is not { } open) return code;
        // An open case: red until it is closed, re-judged every day (valid until the next local midnight).
        var tomorrow = now.LocalDay(utcOffset).AddDays(1).Start(utcOffset);
        return new HealthCode("red", DescribeCase(open), tomorrow, RedDays, 0, Version);
    }

    static string DescribeCase(PersonCase c) => c.Kind switch
    {
        CaseKind.Confirmed => $"Confirmed case {c.CaseId} / 确诊病例",
        CaseKind.Suspected => $"Suspected case {c.CaseId} / 疑似病例",
        _ => $"Asymptomatic infection {c.CaseId} / 无症状感染者",
    };

    static HealthCode FromExposures(IReadOnlyList<Exposure> exposures, IReadOnlyList<CheckIn> checkIns, DateTimeOffset now, TimeSpan utcOffset)
    {
        DateOnly Day(DateTimeOffset t) => t.LocalDay(utcOffset);
        var today = Day(now);
        var (colour, reason, required, run) = ("green", "No exposure on record / 无风险记录", 0, 0);
        DateOnly? lastNormal = null;

        void Watch(string c, int days, string why)
        {
            // A lesser exposure never lowers a code; an equal or worse one starts the count again.
            if (colour == "red" && c == "yellow") return;
            (colour, required, reason, run, lastNormal) = (c, days, why, 0, null);
        }

        var timeline = exposures.Where(e => e.At <= now).Select(e => (e.At, Exposure: (Exposure?)e, CheckIn: (CheckIn?)null))
            .Concat(checkIns.Where(c => c.At <= now).Select(c => (c.At, Exposure: (Exposure?)null, CheckIn: (CheckIn?)c)))
            .OrderBy(x => x.At);
        foreach (var (at, exposure, checkIn) in timeline)
        {
            if (exposure is not null)
                Watch(IsMedium(exposure.Kind) ? "yellow" : "red", IsMedium(exposure.Kind) ? YellowDays : RedDays, Describe(exposure));
            else if (!checkIn!.IsNormal)
                Watch("red", RedDays, $"Abnormal check-in on {Day(at):yyyy-MM-dd}: {checkIn.Describe()} / 打卡异常");
            else if (colour != "green" && Day(at) != lastNormal)
            {
                // Consecutive days extend the run; a gap of a day or more starts it again from this day.
                run = lastNormal is { } last && Day(at) == last.AddDays(1) ? run + 1 : 1;
                lastNormal = Day(at);
                if (run >= required)
                    (colour, reason, required, run) = ("green", $"{required} consecutive days of normal check-ins, completed {Day(at):yyyy-MM-dd} / 连续打卡正常，转绿码", 0, 0);
            }
        }

        // A day that has passed with no check-in breaks the run too.
        if (colour != "green" && lastNormal is { } latest && today > latest.AddDays(1)) run = 0;
        // Green at the earliest after the remaining days, counting today if today's check-in is still to come.
        var greenOn = colour == "green" ? today : today.AddDays(required - run - (lastNormal == today ? 0 : 1));
        var validUntil = greenOn.AddDays(1).Start(utcOffset);
        return new HealthCode(colour, reason, validUntil, required, run, Version);
    }

    /// <summary>The exposures that make a code yellow (7 days) rather than red (14 days).</summary>
    public static bool IsMedium(ExposureKind kind) =>
        kind is ExposureKind.ArrivalFromMediumRisk or ExposureKind.PlaceMediumRisk or ExposureKind.SecondaryContact;

    static string Describe(Exposure e) => e.Kind switch
    {
        ExposureKind.PlaceHighRisk => $"Stayed in {e.Detail} (EpiGrid's spatial screening) / 到访高风险地区",
        ExposureKind.PlaceMediumRisk => $"Stayed in {e.Detail} (EpiGrid's spatial screening) / 到访中风险地区",
        ExposureKind.SecondaryContact => $"Contact of a close contact ({e.Detail}), {YellowDays} days (EpiGrid's reading) / 次密接",
        ExposureKind.ArrivalFromHighRisk => $"Arrived from high-risk area {e.Detail} / 来自高风险地区",
        ExposureKind.ArrivalFromMediumRisk => $"Arrived from medium-risk area {e.Detail} / 来自中风险地区",
        ExposureKind.CloseContact => $"Close contact of a confirmed case ({e.Detail}) / 密切接触者",
        ExposureKind.PostDischarge => $"Post-discharge observation after case {e.Detail}, {PostDischargeDays} days (EpiGrid's reading) / 出院后医学观察",
        _ => $"Declared symptoms ({e.Detail}) / 自述症状",
    };
}
