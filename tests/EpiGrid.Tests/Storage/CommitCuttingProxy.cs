using System.Net;
using System.Net.Sockets;

namespace EpiGrid.Tests.Storage;

/// <summary>
/// A TCP proxy between Npgsql and PostgreSQL that, once armed, cuts the first connection on which it sees a COMMIT (the
/// simple-query message Npgsql sends for it): either after handing it to the server and before the answer comes back
/// (committed, but the client cannot know), or before handing it on (not committed). A true edge: the network.
/// </summary>
public sealed class CommitCuttingProxy : IAsyncDisposable
{
    /// <summary>'Q', length 11, "COMMIT", NUL.</summary>
    static readonly byte[] Commit = [(byte)'Q', 0, 0, 0, 11, (byte)'C', (byte)'O', (byte)'M', (byte)'M', (byte)'I', (byte)'T', 0];

    public enum Cut { AfterCommitReachedServer, BeforeCommitReachedServer }

    readonly TcpListener listener = new(IPAddress.Loopback, 0);
    readonly string host;
    readonly int port;
    readonly CancellationTokenSource stop = new();
    Cut? armed;
    int cuts;

    public CommitCuttingProxy(string host, int port)
    {
        (this.host, this.port) = (host, port);
        listener.Start();
        _ = Accept();
    }

    public int Port => ((IPEndPoint)listener.LocalEndpoint).Port;
    /// <summary>Connections cut so far.</summary>
    public int Cuts => Volatile.Read(ref cuts);

    /// <summary>Cut the next COMMIT seen, once.</summary>
    public void Arm(Cut how) => armed = how;

    async Task Accept()
    {
        while (!stop.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await listener.AcceptTcpClientAsync(stop.Token); }
            catch (Exception) { return; }
            _ = Relay(client);
        }
    }

    async Task Relay(TcpClient client)
    {
        using (client)
        using (var server = new TcpClient())
        {
            try { await server.ConnectAsync(host, port, stop.Token); } catch (Exception) { return; }
            var fromClient = client.GetStream();
            var fromServer = server.GetStream();
            var swallowAnswers = false;
            var up = Task.Run(async () =>
            {
                var buffer = new byte[256 * 1024];
                int read;
                while ((read = await fromClient.ReadAsync(buffer, stop.Token)) > 0)
                {
                    if (armed is { } how && buffer.AsSpan(0, read).IndexOf(Commit) >= 0)
                    {
                        armed = null;
                        Interlocked.Increment(ref cuts);
                        if (how == Cut.BeforeCommitReachedServer) return;
                        swallowAnswers = true;
                        await fromServer.WriteAsync(buffer.AsMemory(0, read), stop.Token);
                        return;
                    }
                    await fromServer.WriteAsync(buffer.AsMemory(0, read), stop.Token);
                }
            });
            var down = Task.Run(async () =>
            {
                var buffer = new byte[256 * 1024];
                int read;
                while ((read = await fromServer.ReadAsync(buffer, stop.Token)) > 0)
                {
                    // The server answered the COMMIT: it is done. The client never hears it.
                    if (swallowAnswers) return;
                    await fromClient.WriteAsync(buffer.AsMemory(0, read), stop.Token);
                }
            });
            try { await Task.WhenAny(up, down); } catch (Exception) { }
            if (swallowAnswers) { try { await down.WaitAsync(TimeSpan.FromSeconds(5)); } catch (Exception) { } }
        }
    }

    public ValueTask DisposeAsync()
    {
        stop.Cancel();
        listener.Stop();
        return ValueTask.CompletedTask;
    }
}
