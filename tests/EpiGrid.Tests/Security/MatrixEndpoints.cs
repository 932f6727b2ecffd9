using System.Reflection;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.StaticAssets;
using Microsoft.Extensions.DependencyInjection;

namespace EpiGrid.Tests.Security;

/// <summary>What the running web host serves: its endpoints, and the methods of the hubs it maps, named as the rules name them.</summary>
public static class MatrixEndpoints
{
    /// <summary>
    /// "METHOD /pattern" for every route endpoint and HTTP method ("ANY" when it takes every method); every endpoint
    /// of a hub (negotiate, connect) is "CONNECT /hub/path".
    /// </summary>
    public static IReadOnlySet<string> Http(IServiceProvider services)
    {
        var keys = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var endpoint in Routes(services))
        {
            var pattern = Pattern(endpoint);
            if (endpoint.Metadata.GetMetadata<HubMetadata>() is not null)
            {
                keys.Add("CONNECT " + HubPath(pattern));
                continue;
            }
            foreach (var method in endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods is { Count: > 0 } methods ? methods : ["ANY"])
                keys.Add($"{method} {pattern}");
        }
        return keys;
    }

    /// <summary>Each mapped hub with its path and the methods a client may invoke, found the way SignalR finds them.</summary>
    public static IReadOnlyList<(Type Hub, string Path, IReadOnlyList<MethodInfo> Methods)> Hubs(IServiceProvider services) =>
        Routes(services)
            .Select(e => (Metadata: e.Metadata.GetMetadata<HubMetadata>(), Path: HubPath(Pattern(e))))
            .Where(h => h.Metadata is not null)
            .DistinctBy(h => h.Metadata!.HubType)
            .Select(h => (h.Metadata!.HubType, h.Path, (IReadOnlyList<MethodInfo>)InvocableMethods(h.Metadata.HubType)))
            .ToList();

    /// <summary>"GridHub.Ack": the hub's type name and the method's name.</summary>
    public static string Key(Type hub, MethodInfo method) => $"{hub.Name}.{method.Name}";

    /// <summary>
    /// Public instance methods declared below <see cref="Hub"/> (not its own, not object's, not Dispose, no
    /// property accessors): SignalR's rule for what a client can call.
    /// </summary>
    static List<MethodInfo> InvocableMethods(Type hub) =>
        hub.GetMethods(BindingFlags.Public | BindingFlags.Instance)
            .Where(m => !m.IsSpecialName)
            .Where(m => m.GetBaseDefinition().DeclaringType is { } declared && declared.IsSubclassOf(typeof(Hub))
                        && !(declared.IsGenericType && declared.GetGenericTypeDefinition() == typeof(Hub<>)))
            .Where(m => !typeof(IDisposable).GetMethods().Any(d => d.Name == m.Name && m.GetParameters().Length == 0))
            .ToList();

    /// <summary>
    /// The route endpoints, less the files of wwwroot themselves: MapStaticAssets maps each file once per name (plain and
    /// fingerprinted) and encoding, all anonymous GET and HEAD, as the static files middleware served them before without
    /// an endpoint; the rules name one of them (<c>GET /app.css</c>). The pages' own addresses (<c>/</c>, <c>/public</c>,
    /// <c>/public/code</c>) stay: their endpoint answers a route that is not the file's.
    /// </summary>
    static IEnumerable<RouteEndpoint> Routes(IServiceProvider services) =>
        services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().Where(e => !IsFileOfWwwroot(e));

    static bool IsFileOfWwwroot(RouteEndpoint endpoint) =>
        endpoint.Metadata.GetMetadata<StaticAssetDescriptor>() is { } file && Pattern(endpoint) == "/" + file.Route.Trim('/');

    static string Pattern(RouteEndpoint endpoint)
    {
        var raw = endpoint.RoutePattern.RawText ?? "";
        raw = "/" + raw.Trim('/');
        return raw;
    }

    static string HubPath(string pattern) => pattern.EndsWith("/negotiate", StringComparison.Ordinal) ? pattern[..^"/negotiate".Length] : pattern;
}
