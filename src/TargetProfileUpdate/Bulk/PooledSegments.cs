using System;
using System.Buffers;
using System.Collections.Generic;

namespace TargetProfileUpdate.Bulk;

/// <summary>
/// Rows are written here, each into one contiguous span of a pooled segment. Segments start small (16 KB) and double up
/// to 1 MB, so a small batch holds little and a 50 MB batch holds about 50 arrays the shared pool keeps for the next
/// batch. A row longer than a segment gets a pooled array of its own.
/// </summary>
internal sealed class PooledSegments : IDisposable
{
    private const int FirstSegmentSize = 16 * 1024;
    private const int MaxSegmentSize = 1024 * 1024;

    private readonly List<ArraySegment<byte>> _segments = [];
    private byte[]? _current;
    private int _used;
    private int _nextSize = FirstSegmentSize;

    /// <summary>Gets the bytes written so far.</summary>
    public long Length { get; private set; }

    /// <summary>Returns a span of exactly <paramref name="length"/> bytes to write into, counted as written.</summary>
    public Span<byte> Allocate(int length)
    {
        if (_current is null || _current.Length - _used < length)
        {
            Seal();
            int size = Math.Max(_nextSize, length);
            _nextSize = Math.Min(_nextSize * 2, MaxSegmentSize);
            _current = ArrayPool<byte>.Shared.Rent(size);
        }

        var span = _current.AsSpan(_used, length);
        _used += length;
        Length += length;
        return span;
    }

    /// <summary>Hands the written segments over (the caller returns them to the pool) and starts empty.</summary>
    public ArraySegment<byte>[] Detach()
    {
        Seal();
        var segments = _segments.ToArray();
        _segments.Clear();
        Length = 0;
        _nextSize = FirstSegmentSize;
        return segments;
    }

    /// <summary>Returns every segment to the pool.</summary>
    public void Dispose()
    {
        foreach (var segment in Detach())
        {
            ArrayPool<byte>.Shared.Return(segment.Array!);
        }
    }

    private void Seal()
    {
        if (_current is not null)
        {
            if (_used > 0)
            {
                _segments.Add(new ArraySegment<byte>(_current, 0, _used));
            }
            else
            {
                ArrayPool<byte>.Shared.Return(_current);
            }

            _current = null;
            _used = 0;
        }
    }
}
