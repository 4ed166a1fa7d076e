namespace TdmEdu.Fees.Api.Files;

/// <summary>
/// A file handed to a reader that takes no cancellation token (MiniExcel, the camt.053 and MT940 parsers): every
/// read looks at the token first, so a time limit or a client that left stops the reader at its next read of
/// the file instead of letting it run to the end. Reading past <paramref name="maxBytes"/> throws what
/// <paramref name="tooLarge"/> makes: the size checked before opening is not always the size read (a device, a
/// pipe, a file still growing).
/// </summary>
public sealed class CancellableStream(Stream inner, CancellationToken ct, long maxBytes = long.MaxValue, Func<Exception>? tooLarge = null) : Stream
{
    private long _read;

    public override bool CanRead => true;
    public override bool CanSeek => inner.CanSeek;
    public override bool CanWrite => false;
    public override long Length => inner.Length;

    public override long Position
    {
        get => inner.Position;
        set => inner.Position = value;
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        ct.ThrowIfCancellationRequested();
        return Count(inner.Read(buffer));
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ct.ThrowIfCancellationRequested();
        return Count(await inner.ReadAsync(buffer, cancellationToken));
    }

    /// <summary>Bytes read in all (a seek back to read again counts again: the readers here read a file at most twice).</summary>
    private int Count(int n)
    {
        _read += n;
        if (_read > maxBytes) throw tooLarge?.Invoke() ?? new IOException($"more than {maxBytes} bytes read");
        return n;
    }

    public override long Seek(long offset, SeekOrigin origin) => inner.Seek(offset, origin);

    public override void Flush() { }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) inner.Dispose();
        base.Dispose(disposing);
    }
}
