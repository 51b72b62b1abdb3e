using System;
using System.Buffers;
using System.Collections.Generic;
using System.IO;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace TargetProfileUpdate.Bulk;

/// <summary>
/// One batch's request body, encoded once into pooled memory (the header line plus the rows' segments) and sent any
/// number of times: every retry sends identical bytes. Dispose it once the batch is accepted or given up; the memory
/// goes back to the pool.
/// </summary>
internal sealed class EncodedBatch : IDisposable
{
    private byte[]? _header;
    private readonly int _headerLength;
    private ArraySegment<byte>[]? _segments;

    public EncodedBatch(byte[] header, int headerLength, ArraySegment<byte>[] segments, long length, ProfileIdKind idKind, int columnCount, long firstIndex, long lastIndex, int rows)
    {
        _header = header;
        _headerLength = headerLength;
        _segments = segments;
        Length = length;
        IdKind = idKind;
        ColumnCount = columnCount;
        FirstIndex = firstIndex;
        LastIndex = lastIndex;
        Rows = rows;
    }

    /// <summary>Gets the body's exact length in bytes.</summary>
    public long Length { get; }

    /// <summary>Gets the kind of id every row uses.</summary>
    public ProfileIdKind IdKind { get; }

    /// <summary>Gets how many attribute columns the header names.</summary>
    public int ColumnCount { get; }

    /// <summary>Gets the source index of the first row.</summary>
    public long FirstIndex { get; }

    /// <summary>Gets the source index of the last row (rows between may have been rejected).</summary>
    public long LastIndex { get; }

    /// <summary>Gets how many rows the batch holds.</summary>
    public int Rows { get; }

    /// <summary>Creates a request body over the batch's memory. It does not own the memory: it may be sent (and
    /// re-sent) until this batch is disposed, and disposing it does nothing to the batch.</summary>
    public HttpContent CreateContent() => new BulkBatchContent(this);

    /// <summary>Writes the whole body to a stream.</summary>
    public async ValueTask WriteToAsync(Stream stream, CancellationToken cancellationToken)
    {
        var (header, segments) = Buffers();
        await stream.WriteAsync(header.AsMemory(0, _headerLength), cancellationToken).ConfigureAwait(false);
        foreach (var segment in segments)
        {
            await stream.WriteAsync(segment.AsMemory(), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Writes the whole body to a stream, synchronously.</summary>
    public void WriteTo(Stream stream)
    {
        var (header, segments) = Buffers();
        stream.Write(header, 0, _headerLength);
        foreach (var segment in segments)
        {
            stream.Write(segment.AsSpan());
        }
    }

    /// <summary>Copies the body into a new array (tests, diagnostics).</summary>
    public byte[] ToArray()
    {
        var (header, segments) = Buffers();
        var result = new byte[Length];
        header.AsSpan(0, _headerLength).CopyTo(result);
        int pos = _headerLength;
        foreach (var segment in segments)
        {
            segment.AsSpan().CopyTo(result.AsSpan(pos));
            pos += segment.Count;
        }

        return result;
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _header, null) is { } header)
        {
            ArrayPool<byte>.Shared.Return(header);
        }

        if (Interlocked.Exchange(ref _segments, null) is { } segments)
        {
            foreach (var segment in segments)
            {
                ArrayPool<byte>.Shared.Return(segment.Array!);
            }
        }
    }

    private (byte[] Header, IReadOnlyList<ArraySegment<byte>> Segments) Buffers()
    {
        var header = Volatile.Read(ref _header);
        var segments = Volatile.Read(ref _segments);
        ObjectDisposedException.ThrowIf(header is null || segments is null, this);
        return (header, segments);
    }
}
