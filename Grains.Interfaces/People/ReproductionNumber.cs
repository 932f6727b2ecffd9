namespace EpiGrid.People;

/// <summary>A serial interval, gamma-distributed, with where its figures come from.</summary>
public sealed record SerialInterval(double Mean, double Sd, string Source)
{
    /// <summary>COVID-19: Nishiura H, Linton NM, Akhmetzhanov AR, Int J Infect Dis 2020;93:284–286 (mean 4.7 days, sd 2.9).</summary>
    public static SerialInterval Covid19 { get; } = new(4.7, 2.9,
        "Nishiura H, Linton NM, Akhmetzhanov AR. Serial interval of novel coronavirus (COVID-19) infections. Int J Infect Dis 2020;93:284-286");

    /// <summary>
    /// EpiEstim's discretisation (discr_si): the probability that the interval is k days, for a gamma shifted by one day
    /// with this mean and sd; w[0] = 0.
    /// </summary>
    public double[] Discretised(int days)
    {
        double a = Math.Pow((Mean - 1) / Sd, 2), b = Sd * Sd / (Mean - 1);
        double F(double k, double shape) => k <= 0 ? 0 : Gamma.P(shape, k / b);
        var w = new double[days];
        for (var k = 0; k < days; k++)
        {
            var value = k * F(k, a) + (k - 2) * F(k - 2, a) - 2 * (k - 1) * F(k - 1, a)
                        + a * b * (2 * F(k - 1, a + 1) - F(k - 2, a + 1) - F(k, a + 1));
            w[k] = Math.Max(0, value);
        }
        return w;
    }
}

/// <summary>One day's estimate of Rt over the window ending that day; no mean when the window holds too few cases.</summary>
[GenerateSerializer, Immutable, Alias("epigrid.rt-day")]
public sealed record RtDay(
    [property: Id(0)] DateOnly Day, [property: Id(1)] int Cases, [property: Id(2)] double? Mean,
    [property: Id(3)] double? Lower, [property: Id(4)] double? Upper);

/// <summary>A raw posterior of Rt over one window (gamma shape and scale), enough or not.</summary>
public sealed record RtPosterior(int WindowEnd, int CasesInWindow, double Shape, double Scale, bool Enough)
{
    public double Mean => Shape * Scale;
    public double Quantile(double p) => Gamma.Quantile(p, Shape) * Scale;
}

/// <summary>
/// The time-varying reproduction number of Cori A, Ferguson NM, Fraser C, Cauchemez S (Am J Epidemiol 2013;178:1505–1512),
/// as the R package EpiEstim's estimate_R(method = "parametric_si") computes it: over each window of
/// <c>window</c> days ending on day t (the first window ends on day <c>window</c>, counted from day 0), the posterior of
/// Rt is gamma with shape a + Σ I and scale 1 / (1/b + Σ Λ), where Λ_s = Σ_k I_(s−k) w_k is the infectivity of the
/// cases before s weighted by the discretised serial interval w, and the prior is gamma with mean 5 and sd 5 (a = 1,
/// b = 5). An estimate needs a posterior coefficient of variation of at most 0.3 (EpiEstim's default cv_posterior and
/// its warning): with this prior, at least 11 cases in the window. Pure and versioned.
/// </summary>
public static class ReproductionNumber
{
    public const string Version = "2013-cori.1";
    public const double PriorMean = 5, PriorSd = 5, MaxPosteriorCv = 0.3;
    public const int DefaultWindow = 7;

    /// <summary>Cases a window needs for an estimate with the default prior: a posterior CV of at most 0.3 needs a shape of at least 1/0.09.</summary>
    public static int MinCases { get; } = (int)Math.Ceiling(1 / (MaxPosteriorCv * MaxPosteriorCv) - Math.Pow(PriorMean / PriorSd, 2));

    /// <summary>The method's version with the serial interval it used: recorded with every estimate.</summary>
    public static string VersionOf(SerialInterval si) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{Version}+si{si.Mean}/{si.Sd}");

    /// <summary>The posterior of every window ending on day <c>window</c> .. last (0-based days of <paramref name="incidence"/>).</summary>
    public static IReadOnlyList<RtPosterior> Posteriors(IReadOnlyList<int> incidence, SerialInterval si, int window = DefaultWindow)
    {
        var days = incidence.Count;
        var w = si.Discretised(days);
        var lambda = new double[days];
        for (var t = 1; t < days; t++)
        {
            double sum = 0;
            for (var k = 1; k <= t; k++) sum += incidence[t - k] * w[k];
            lambda[t] = sum;
        }
        double priorShape = Math.Pow(PriorMean / PriorSd, 2), priorScale = PriorSd * PriorSd / PriorMean;
        var result = new List<RtPosterior>();
        for (var end = window; end < days; end++)
        {
            int cases = 0; double infectivity = 0;
            for (var s = end - window + 1; s <= end; s++) { cases += incidence[s]; infectivity += lambda[s]; }
            var shape = priorShape + cases;
            var scale = 1 / (1 / priorScale + infectivity);
            result.Add(new RtPosterior(end, cases, shape, scale, 1 / Math.Sqrt(shape) <= MaxPosteriorCv && infectivity > 0));
        }
        return result;
    }

    /// <summary>Rt per day from <paramref name="first"/> (day 0 of <paramref name="incidence"/>): mean and 95 % interval where enough.</summary>
    public static IReadOnlyList<RtDay> Estimate(DateOnly first, IReadOnlyList<int> incidence, SerialInterval si, int window = DefaultWindow) =>
        Days(first, Posteriors(incidence, si, window));

    /// <summary>The days of these posteriors (<paramref name="first"/> is day 0): mean and 95 % interval where enough.</summary>
    public static IReadOnlyList<RtDay> Days(DateOnly first, IEnumerable<RtPosterior> posteriors) =>
        posteriors.Select(p => p.Enough
            ? new RtDay(first.AddDays(p.WindowEnd), p.CasesInWindow, Round(p.Mean), Round(p.Quantile(0.025)), Round(p.Quantile(0.975)))
            : new RtDay(first.AddDays(p.WindowEnd), p.CasesInWindow, null, null, null)).ToList();

    /// <summary>
    /// The expected new cases of the next <paramref name="days"/> days by the renewal equation (I_t = R Σ_k I_(t−k) w_k,
    /// projected days feeding the next) at the latest window's Rt (<paramref name="last"/>), with the run at its 2.5 % and 97.5 % quantiles as the
    /// interval. A projection of the present trend, not a forecast of what measures will do. Empty when the last window
    /// has no estimate.
    /// </summary>
    /// <param name="last">The posterior of the window ending on the last day of <paramref name="incidence"/>.</param>
    public static IReadOnlyList<RtProjectionDay> Project(DateOnly first, IReadOnlyList<int> incidence, SerialInterval si, RtPosterior? last, int days = 7)
    {
        if (last is not { Enough: true }) return [];
        var w = si.Discretised(incidence.Count + days);
        double[] Run(double r)
        {
            var series = incidence.Select(i => (double)i).ToList();
            for (var d = 0; d < days; d++)
            {
                var t = series.Count;
                double infectivity = 0;
                for (var k = 1; k <= t; k++) infectivity += series[t - k] * w[k];
                series.Add(r * infectivity);
            }
            return series.Skip(incidence.Count).ToArray();
        }
        double[] mean = Run(last.Mean), low = Run(last.Quantile(0.025)), high = Run(last.Quantile(0.975));
        return Enumerable.Range(0, days).Select(d => new RtProjectionDay(first.AddDays(incidence.Count + d), Round(mean[d]), Round(low[d]), Round(high[d]))).ToList();
    }

    static double Round(double value) => Math.Round(value, 10);
}

/// <summary>One projected day: the expected new cases at the latest Rt, and at its 95 % interval's ends.</summary>
[GenerateSerializer, Immutable, Alias("epigrid.rt-projection-day")]
public sealed record RtProjectionDay([property: Id(0)] DateOnly Day, [property: Id(1)] double Expected, [property: Id(2)] double Lower, [property: Id(3)] double Upper);

/// <summary>The regularised incomplete gamma function and its inverse, to double precision (Numerical Recipes' series and continued fraction).</summary>
public static class Gamma
{
    public static double LogGamma(double x)
    {
        // Lanczos, g = 7, n = 9.
        double[] c = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
            12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
        if (x < 0.5) return Math.Log(Math.PI / Math.Abs(Math.Sin(Math.PI * x))) - LogGamma(1 - x);
        x -= 1;
        var sum = c[0];
        for (var i = 1; i < 9; i++) sum += c[i] / (x + i);
        var t = x + 7.5;
        return 0.5 * Math.Log(2 * Math.PI) + (x + 0.5) * Math.Log(t) - t + Math.Log(sum);
    }

    /// <summary>P(a, x): the gamma distribution's CDF at x for shape a and scale 1.</summary>
    public static double P(double a, double x)
    {
        if (x <= 0) return 0;
        if (x < a + 1)
        {
            double ap = a, sum = 1 / a, del = sum;
            for (var n = 0; n < 10_000; n++)
            {
                ap++; del *= x / ap; sum += del;
                if (Math.Abs(del) < Math.Abs(sum) * 1e-16) break;
            }
            return sum * Math.Exp(-x + a * Math.Log(x) - LogGamma(a));
        }
        // Lentz's continued fraction for Q.
        double b = x + 1 - a, c = 1 / 1e-300, d = 1 / b, h = d;
        for (var i = 1; i < 10_000; i++)
        {
            var an = -i * (i - a);
            b += 2;
            d = an * d + b; if (Math.Abs(d) < 1e-300) d = 1e-300;
            c = b + an / c; if (Math.Abs(c) < 1e-300) c = 1e-300;
            d = 1 / d;
            var del = d * c;
            h *= del;
            if (Math.Abs(del - 1) < 1e-16) break;
        }
        return 1 - Math.Exp(-x + a * Math.Log(x) - LogGamma(a)) * h;
    }

    /// <summary>The x with P(a, x) = p (scale 1): bisection to bracket, then Newton steps.</summary>
    public static double Quantile(double p, double a)
    {
        double lo = 0, hi = Math.Max(1, a);
        while (P(a, hi) < p) hi *= 2;
        var x = (lo + hi) / 2;
        for (var i = 0; i < 200; i++)
        {
            var f = P(a, x) - p;
            if (f > 0) hi = x; else lo = x;
            var density = Math.Exp(-x + (a - 1) * Math.Log(x) - LogGamma(a));
            var next = density > 0 ? x - f / density : (lo + hi) / 2;
            if (next <= lo || next >= hi) next = (lo + hi) / 2;
            if (Math.Abs(next - x) <= 1e-15 * Math.Max(1, x)) return next;
            x = next;
        }
        return x;
    }
}
