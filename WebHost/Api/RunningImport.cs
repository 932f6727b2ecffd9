using System.Text;

namespace EpiGrid.WebHost.Api;

/// <summary>
/// What one asynchronous import holds until it ends: its place among the host's imports, its spooled file, the reader
/// over it, the import itself and its cancellation. Disposing gives them all back, whoever owns it then.
/// </summary>
public sealed class RunningImport(Action release, CancellationToken stopping) : IAsyncDisposable
{
    readonly CancellationTokenSource cancel = CancellationTokenSource.CreateLinkedTokenSource(stopping);
    SpooledBody? file;
    StreamReader? reader;
    int disposed;

    public CancellationToken Token => cancel.Token;
    public ArrivalImport? Import { get; private set; }
    public bool Cancelled { get; private set; }

    /// <summary>The file to import from, and a reader over it (UTF-8; bytes that are not are reported by row).</summary>
    public TextReader Read(SpooledBody body)
    {
        file = body;
        return reader = new StreamReader(body.Stream, new UTF8Encoding(false, throwOnInvalidBytes: false));
    }

    public void Run(ArrivalImport import) => Import = import;

    public Task Cancel()
    {
        Cancelled = true;
        return cancel.CancelAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0) return;
        if (Import is not null) await Import.DisposeAsync();
        reader?.Dispose();
        if (file is not null) await file.DisposeAsync();
        cancel.Dispose();
        release();
    }
}
