namespace EpiGrid.WebHost.Http;

/// <summary>
/// A request body read forward only, each chunk shown to <see cref="Inspect"/> as it passes (to count it, to check its
/// encoding), which may refuse it by throwing. The one read-only wrapper the body checks share.
/// </summary>
public abstract class InspectedBody(Stream inner) : Stream
{
    long position;

    /// <summary>Sees the bytes just read (<paramref name="last"/>: the body ended); <see cref="Position"/> is still before them.</summary>
    protected abstract void Inspect(ReadOnlySpan<byte> bytes, bool last);

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var n = await inner.ReadAsync(buffer, cancellationToken);
        return Passed(buffer.Span, n);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => Passed(buffer.AsSpan(offset), inner.Read(buffer, offset, count));

    int Passed(Span<byte> buffer, int n)
    {
        Inspect(buffer[..n], last: n == 0);
        position += n;
        return n;
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => position; set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
