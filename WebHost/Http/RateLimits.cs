using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace EpiGrid.WebHost.Http;

/// <summary>A token bucket: up to <see cref="Burst"/> requests at once, refilled at <see cref="PerSecond"/>.</summary>
public sealed record RatePolicy
{
    public int Burst { get; init; }
    public int PerSecond { get; init; }

    /// <summary>The bucket this policy describes; HTTP requests and hub calls use the same shape.</summary>
    public TokenBucketRateLimiterOptions Bucket() => new()
    {
        TokenLimit = Burst,
        TokensPerPeriod = PerSecond,
        ReplenishmentPeriod = TimeSpan.FromSeconds(1),
        QueueLimit = 0,
        AutoReplenishment = true,
    };
}

/// <summary>
/// Requests a caller may make (section "RateLimits"), per token (its <c>sub</c>) for authenticated callers and per
/// remote address for anonymous ones. Source systems send thousands of reports a second from one token; a person at
/// a screen or phone does not, so the two classes get limits far apart.
/// </summary>
public sealed record RateLimitOptions
{
    public const string Section = "RateLimits";

    /// <summary>Grid workers, county and province officials, auditors. 500 hub connections a token (the fan-out benchmark) fit.</summary>
    public RatePolicy Human { get; init; } = new() { Burst = 1_000, PerSecond = 100 };
    /// <summary>Source systems (ingest) and admins, who register cells in bulk from tools; well above what one web host serves.</summary>
    public RatePolicy Machine { get; init; } = new() { Burst = 100_000, PerSecond = 100_000 };
    /// <summary>Per remote address: the public map, the public hub, sign-in and every request without a valid token.</summary>
    public RatePolicy Anonymous { get; init; } = new() { Burst = 300, PerSecond = 30 };

    /// <summary>
    /// Self-declarations per remote address (issue 16), on top of <see cref="Anonymous"/>: each one may create a person, so far
    /// fewer than page loads. Many phones share one address behind a carrier's NAT, so it is a bucket, not a ban.
    /// </summary>
    public RatePolicy Declarations { get; init; } = new() { Burst = 20, PerSecond = 1 };

    public static bool IsMachine(string role) => role is Roles.Ingest or Roles.Admin;
}

public static class RateLimits
{
    /// <summary>Probes of the orchestrator and the metrics scraper come often, from one address, and are cheap.</summary>
    static readonly string[] Exempt = ["/health", EpiGrid.WebHost.Observability.WebTelemetry.MetricsPath];

    public static IServiceCollection AddEpiGridRateLimits(this IServiceCollection services)
    {
        services.AddOptions<RateLimitOptions>().BindConfiguration(RateLimitOptions.Section)
            .Validate(o => new[] { o.Human, o.Machine, o.Anonymous, o.Declarations }.All(p => p.Burst > 0 && p.PerSecond > 0),
                "RateLimits: Burst and PerSecond must be above 0 for Human, Machine, Anonymous and Declarations.");
        services.AddRateLimiter(_ => { });
        // Configured from options at first use, not at registration, so a test host's settings apply.
        services.AddOptions<RateLimiterOptions>().Configure<IOptionsMonitor<RateLimitOptions>>((limiter, limits) =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(http => Partition(http, limits.CurrentValue));
            limiter.OnRejected = Reject;
            limiter.AddPolicy(EpiGrid.WebHost.Api.DeclarationsApi.RateLimitPolicy, http => RateLimitPartition.GetTokenBucketLimiter(
                "declarations:" + (http.Connection.RemoteIpAddress?.ToString() ?? "unknown"), _ => limits.CurrentValue.Declarations.Bucket()));
        });
        return services;
    }

    static RateLimitPartition<string> Partition(HttpContext http, RateLimitOptions options)
    {
        if (Exempt.Any(path => http.Request.Path.StartsWithSegments(path))) return RateLimitPartition.GetNoLimiter("exempt");
        var caller = http.User.Identity?.IsAuthenticated == true ? Jurisdiction.Of(http.User) : null;
        var (key, policy) = caller is { Actor.Length: > 0 }
            ? RateLimitOptions.IsMachine(caller.Role) ? ("machine:" + caller.Actor, options.Machine) : ("human:" + caller.Actor, options.Human)
            : ("address:" + (http.Connection.RemoteIpAddress?.ToString() ?? "unknown"), options.Anonymous);
        return RateLimitPartition.GetTokenBucketLimiter(key, _ => policy.Bucket());
    }

    static async ValueTask Reject(OnRejectedContext context, CancellationToken cancellationToken)
    {
        var http = context.HttpContext;
        var seconds = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? Math.Max(1, (int)Math.Ceiling(after.TotalSeconds)) : 1;
        http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        var who = http.User.Identity?.IsAuthenticated == true ? "this token" : "this address";
        await Problems.Status(StatusCodes.Status429TooManyRequests,
            $"Too many requests from {who}; retry after {seconds} s ({RateLimitOptions.Section} in the configuration).").WriteTo(http);
    }
}
