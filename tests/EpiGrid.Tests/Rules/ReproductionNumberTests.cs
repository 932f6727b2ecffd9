using System.Diagnostics;
using System.Globalization;
using EpiGrid.People;

namespace EpiGrid.Tests.Rules;

/// <summary>
/// Rt (issue 21) against the reference: the R package EpiEstim (Debian's r-cran-epiestim, installed by test.sh) run on its
/// own example data sets and on a simulated county; our means and 2.5 % / 97.5 % quantiles must match to 1e-6 relative.
/// </summary>
public class ReproductionNumberTests
{
    const string Script = """
        suppressMessages(library(EpiEstim))
        args <- commandArgs(trailingOnly = TRUE)
        if (args[1] == "Flu2009") { data(Flu2009); incid <- Flu2009$incidence$I } else
        if (args[1] == "Measles1861") { data(Measles1861); incid <- Measles1861$incidence } else
        { incid <- as.numeric(strsplit(args[1], ",")[[1]]) }
        res <- suppressWarnings(estimate_R(incid, method = "parametric_si",
          config = make_config(list(mean_si = as.numeric(args[2]), std_si = as.numeric(args[3])))))
        cat(paste(incid, collapse = ","), "\n", sep = "")
        r <- res$R
        for (i in seq_len(nrow(r))) cat(sprintf("%d,%.17g,%.17g,%.17g\n", r$t_end[i], r[["Mean(R)"]][i], r[["Quantile.0.025(R)"]][i], r[["Quantile.0.975(R)"]][i]))
        """;

    [Theory]
    [InlineData("Flu2009", 2.6, 1.5)]
    [InlineData("Measles1861", 12, 3.4)]
    public async Task EpiEstim_s_example_data_sets_give_our_means_and_quantiles(string dataSet, double mean, double sd)
    {
        var (incidence, reference) = await EpiEstim(dataSet, mean, sd);

        Compare(incidence, reference, new SerialInterval(mean, sd, "test"));
    }

    [Fact]
    public async Task A_simulated_county_doubling_every_4_days_then_declining_matches_EpiEstim_and_reads_above_then_below_1()
    {
        var incidence = Enumerable.Range(0, 28).Select(d => (int)Math.Round(2 * Math.Pow(2, d / 4.0)))
            .Concat(Enumerable.Range(1, 21).Select(d => (int)Math.Round(256 * Math.Pow(0.5, d / 5.0)))).ToList();
        var (fromR, reference) = await EpiEstim(string.Join(",", incidence), SerialInterval.Covid19.Mean, SerialInterval.Covid19.Sd);
        fromR.ShouldBe(incidence);

        Compare(incidence, reference, SerialInterval.Covid19);
        var days = ReproductionNumber.Estimate(new DateOnly(2020, 1, 21), incidence, SerialInterval.Covid19);
        days.Single(d => d.Day == new DateOnly(2020, 1, 21).AddDays(20)).Lower!.Value.ShouldBeGreaterThan(1, "growing: clearly above 1");
        days.Last().Upper!.Value.ShouldBeLessThan(1, "declining: clearly below 1");
    }

    [Fact]
    public void A_window_with_too_few_cases_gives_no_estimate_rather_than_a_wild_one()
    {
        int[] sparse = [1, 0, 0, 1, 0, 2, 0, 0, 1, 0, 0, 3, 1, 0, 2, 0];
        var days = ReproductionNumber.Estimate(new DateOnly(2020, 2, 1), sparse, SerialInterval.Covid19);

        days.ShouldAllBe(d => d.Mean == null && d.Lower == null && d.Upper == null);
        days.ShouldAllBe(d => d.Cases < 11);
        var enough = ReproductionNumber.Estimate(new DateOnly(2020, 2, 1), [3, 2, 2, 2, 2, 2, 2, 2, 2], SerialInterval.Covid19);
        enough[^1].Cases.ShouldBe(14);
        enough[^1].Mean.ShouldNotBeNull();
    }

    static void Compare(IReadOnlyList<int> incidence, IReadOnlyList<(int TEnd, double Mean, double Lower, double Upper)> reference, SerialInterval si)
    {
        var ours = ReproductionNumber.Posteriors(incidence, si).ToDictionary(p => p.WindowEnd + 1); // R's days are 1-based
        reference.Count(r => !double.IsNaN(r.Mean)).ShouldBeGreaterThan(10);
        foreach (var r in reference)
        {
            var p = ours[r.TEnd];
            if (double.IsNaN(r.Mean))
            {
                // EpiEstim gives NA where nothing before the window could have infected anyone: no estimate either.
                p.Enough.ShouldBeFalse($"EpiEstim has no estimate for the window ending on day {r.TEnd}");
                continue;
            }
            Relative(p.Mean, r.Mean).ShouldBeLessThan(1e-6, $"mean of the window ending on day {r.TEnd}");
            Relative(p.Quantile(0.025), r.Lower).ShouldBeLessThan(1e-6, $"2.5 % quantile, day {r.TEnd}");
            Relative(p.Quantile(0.975), r.Upper).ShouldBeLessThan(1e-6, $"97.5 % quantile, day {r.TEnd}");
        }
    }

    internal static double Relative(double ours, double theirs) => Math.Abs(ours - theirs) / Math.Max(Math.Abs(theirs), 1e-12);

    internal static async Task<(List<int> Incidence, List<(int, double, double, double)> Rows)> EpiEstim(string data, double mean, double sd)
    {
        var script = Path.Combine(Path.GetTempPath(), $"epiestim-{Guid.NewGuid():N}.R");
        await File.WriteAllTextAsync(script, Script);
        try
        {
            var start = new ProcessStartInfo("Rscript") { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var a in new[] { "--vanilla", script, data, mean.ToString(CultureInfo.InvariantCulture), sd.ToString(CultureInfo.InvariantCulture) })
                start.ArgumentList.Add(a);
            using var r = Process.Start(start)!;
            var output = await r.StandardOutput.ReadToEndAsync();
            var error = await r.StandardError.ReadToEndAsync();
            await r.WaitForExitAsync();
            r.ExitCode.ShouldBe(0, error);
            var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            var incidence = lines[0].Split(',').Select(v => (int)double.Parse(v, CultureInfo.InvariantCulture)).ToList();
            var rows = lines.Skip(1).Select(l => l.Split(',').Select(v => v == "NA" ? double.NaN : double.Parse(v, CultureInfo.InvariantCulture)).ToArray())
                .Select(v => ((int)v[0], v[1], v[2], v[3])).ToList();
            return (incidence, rows);
        }
        finally
        {
            File.Delete(script);
        }
    }
}
