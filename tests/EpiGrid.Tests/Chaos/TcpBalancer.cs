using System.Net;
using System.Net.Sockets;

namespace EpiGrid.Tests.Chaos;

/// <summary>
/// The load balancer in front of the web hosts, as small as it can be: each new TCP connection goes to the first backend
/// that accepts it; when a backend dies its connections close, and clients (SignalR reconnect, HTTP retries) land on the next.
/// </summary>
public sealed class TcpBalancer : IAsyncDisposable
{
    readonly TcpListener listener = new(IPAddress.Loopback, 0);
    readonly IReadOnlyList<int> backends;
    readonly CancellationTokenSource stop = new();
    readonly Task accepting;

    public TcpBalancer(IReadOnlyList<int> backendPorts)
    {
        backends = backendPorts;
        listener.Start();
        accepting = Accept();
    }

    public Uri Address => new($"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}");

    async Task Accept()
    {
        while (!stop.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await listener.AcceptTcpClientAsync(stop.Token); }
            catch (OperationCanceledException) { return; }
            _ = Relay(client);
        }
    }

    async Task Relay(TcpClient client)
    {
        using (client)
        {
            var backend = new TcpClient();
            foreach (var port in backends)
            {
                try { await backend.ConnectAsync(IPAddress.Loopback, port, stop.Token); break; }
                catch (SocketException) { backend.Dispose(); backend = new TcpClient(); }
            }
            using (backend)
            {
                if (!backend.Connected) return;
                var a = client.GetStream();
                var b = backend.GetStream();
                // When either side ends, close both: the client then sees its connection drop, as behind a real balancer.
                await Task.WhenAny(Pipe(a, b), Pipe(b, a));
            }
        }
    }

    async Task Pipe(Stream from, Stream to)
    {
        try { await from.CopyToAsync(to, stop.Token); }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException or SocketException) { }
    }

    public async ValueTask DisposeAsync()
    {
        stop.Cancel();
        listener.Stop();
        await accepting;
    }
}
