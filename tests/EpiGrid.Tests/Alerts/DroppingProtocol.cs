using System.Buffers;
using EpiGrid.Client;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;

namespace EpiGrid.Tests.Alerts;

/// <summary>
/// The client's end of the wire (SignalR's JSON protocol) losing every pushed copy of the alerts <paramref name="drop"/>
/// picks, as a push lost between server and phone would be. The only test double of its tests.
/// </summary>
public sealed class DroppingProtocol(Func<Alert, bool> drop) : IHubProtocol
{
    readonly JsonHubProtocol json = new();
    int dropped;

    public int Dropped => Volatile.Read(ref dropped);
    public string Name => json.Name;
    public int Version => json.Version;
    public TransferFormat TransferFormat => json.TransferFormat;

    public bool TryParseMessage(ref ReadOnlySequence<byte> input, IInvocationBinder binder, out HubMessage? message)
    {
        if (!json.TryParseMessage(ref input, binder, out message)) return false;
        if (message is InvocationMessage { Target: "alert", Arguments: [Alert alert] } && drop(alert))
        {
            Interlocked.Increment(ref dropped);
            message = PingMessage.Instance; // what the client ignores: the push is gone
        }
        return true;
    }

    public void WriteMessage(HubMessage message, IBufferWriter<byte> output) => json.WriteMessage(message, output);
    public ReadOnlyMemory<byte> GetMessageBytes(HubMessage message) => json.GetMessageBytes(message);
    public bool IsVersionSupported(int version) => json.IsVersionSupported(version);
}
