using System.Globalization;
using System.Net;
using EpiGrid.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace EpiGrid.Tests.Cluster;

/// <summary>
/// Issue 14: the silo and gateway ports listened on every address of the machine. A silo in cluster mode (Redis
/// clustering) must listen on the address it advertises and nowhere else. Checked on the kernel's own table of
/// listening sockets (/proc/net/tcp), which is deterministic where probing "another address" of the machine is not.
/// </summary>
public sealed class ListeningAddressTests
{
    [Fact]
    public async Task A_silo_in_cluster_mode_listens_on_its_advertised_address_only()
    {
        var redis = Environment.GetEnvironmentVariable("EPIGRID_TEST_REDIS")
            ?? throw new InvalidOperationException("EPIGRID_TEST_REDIS is not set: run the tests through ./test.sh");
        await using var db = await TestDatabase.Create();
        await using var silo = await TestSilo.Start(db.ConnectionString, new FakeTimeProvider(DateTimeOffset.UtcNow),
            "listen-" + Guid.NewGuid().ToString("N")[..8], new Dictionary<string, string?>
            {
                ["Cluster:Clustering"] = "redis",
                ["Cluster:AdvertisedIp"] = "127.0.0.1",
                ["ConnectionStrings:Redis"] = redis,
            });

        ListeningAddresses(silo.SiloPort).ShouldBe([IPAddress.Loopback], "silo port listeners");
        ListeningAddresses(silo.GatewayPort).ShouldBe([IPAddress.Loopback], "gateway port listeners");
    }

    /// <summary>The local addresses of sockets in state LISTEN (0A) on this port, IPv4 and IPv6.</summary>
    static List<IPAddress> ListeningAddresses(int port)
    {
        var found = new List<IPAddress>();
        foreach (var file in new[] { "/proc/net/tcp", "/proc/net/tcp6" })
            foreach (var line in File.ReadLines(file).Skip(1))
            {
                var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                var local = fields[1].Split(':');
                if (fields[3] != "0A" || int.Parse(local[1], NumberStyles.HexNumber) != port) continue;
                found.Add(ParseProcAddress(local[0]));
            }
        return found;
    }

    /// <summary>/proc/net/tcp writes addresses as 32-bit words in host (little-endian) order.</summary>
    static IPAddress ParseProcAddress(string hex)
    {
        var bytes = Convert.FromHexString(hex);
        for (var word = 0; word < bytes.Length; word += 4) Array.Reverse(bytes, word, 4);
        var address = new IPAddress(bytes);
        return address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
    }
}
