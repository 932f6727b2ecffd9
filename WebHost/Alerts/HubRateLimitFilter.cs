using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;

namespace EpiGrid.WebHost.Alerts;

/// <summary>
/// Hub method calls are rate limited as HTTP requests are (<see cref="RateLimits"/>): token buckets per token
/// (<c>sub</c>) with the same Human and Machine policies, per remote address for anonymous connections. The buckets
/// are the hub's own, so a screen's catch-up calls do not eat its HTTP requests' allowance or the other way round.
/// Over the limit a call is refused with a <see cref="HubException"/> naming the wait; the connection stays open.
/// </summary>
public sealed class HubRateLimitFilter : IHubFilter, IDisposable
{
    readonly PartitionedRateLimiter<string> limiter;

    public HubRateLimitFilter(IOptionsMonitor<RateLimitOptions> options)
    {
        limiter = PartitionedRateLimiter.Create<string, string>(key =>
        {
            var o = options.CurrentValue;
            var policy = key.StartsWith("machine:", StringComparison.Ordinal) ? o.Machine
                : key.StartsWith("human:", StringComparison.Ordinal) ? o.Human : o.Anonymous;
            return RateLimitPartition.GetTokenBucketLimiter(key, _ => policy.Bucket());
        });
    }

    public async ValueTask<object?> InvokeMethodAsync(HubInvocationContext invocation, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        using var lease = limiter.AttemptAcquire(PartitionOf(invocation.Context));
        if (!lease.IsAcquired)
        {
            var seconds = lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? Math.Max(1, (int)Math.Ceiling(after.TotalSeconds)) : 1;
            throw new HubException(string.Create(CultureInfo.InvariantCulture,
                $"Too many hub calls from this token; retry after {seconds} s ({RateLimitOptions.Section} in the configuration). 请求过于频繁，请 {seconds} 秒后重试。"));
        }
        return await next(invocation);
    }

    static string PartitionOf(HubCallerContext context)
    {
        var caller = context.User?.Identity?.IsAuthenticated == true ? Jurisdiction.Of(context.User) : null;
        if (caller is { Actor.Length: > 0 }) return (RateLimitOptions.IsMachine(caller.Role) ? "machine:" : "human:") + caller.Actor;
        return "address:" + (context.GetHttpContext()?.Connection.RemoteIpAddress?.ToString() ?? "unknown");
    }

    public void Dispose() => limiter.Dispose();
}
