using System;
using System.Buffers;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using TargetProfileUpdate.Encoding;

namespace TargetProfileUpdate.Update;

/// <summary>
/// An <c>application/x-www-form-urlencoded; charset=UTF-8</c> body encoded once into a pooled buffer. It can be
/// sent any number of times (every retry sends the same bytes) and returns the buffer when disposed.
/// </summary>
internal sealed class PooledFormContent : HttpContent
{
    /// <summary>
    /// The Content-Type sent. The charset is declared because a servlet container with default settings decodes an
    /// undeclared form body as ISO-8859-1. Added as a constant string without validation: no per-request allocation
    /// (a cached <see cref="System.Net.Http.Headers.MediaTypeHeaderValue"/> cannot be shared, headers being mutable).
    /// </summary>
    public const string ContentType = "application/x-www-form-urlencoded; charset=UTF-8";

    private byte[]? _buffer;
    private readonly int _length;

    public PooledFormContent(ProfileUpdate update, int length)
    {
        _buffer = ArrayPool<byte>.Shared.Rent(length);
        _length = ProfileUpdateEncoder.WriteForm(update, _buffer.AsSpan(0, length));
        Headers.TryAddWithoutValidation("Content-Type", ContentType);
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        var buffer = _buffer ?? throw new ObjectDisposedException(nameof(PooledFormContent));
        return stream.WriteAsync(buffer.AsMemory(0, _length), cancellationToken).AsTask();
    }

    protected override void SerializeToStream(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        var buffer = _buffer ?? throw new ObjectDisposedException(nameof(PooledFormContent));
        stream.Write(buffer, 0, _length);
    }

    protected override bool TryComputeLength(out long length)
    {
        length = _length;
        return true;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && Interlocked.Exchange(ref _buffer, null) is { } buffer)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        base.Dispose(disposing);
    }
}
