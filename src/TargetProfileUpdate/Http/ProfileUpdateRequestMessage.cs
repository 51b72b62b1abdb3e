using System;
using System.Buffers;
using System.Net.Http;
using System.Threading;

namespace TargetProfileUpdate.Http;

/// <summary>
/// The request the client sends. It carries the per-update state the resilience handler needs
/// (attempt count, start time, a pending <c>Retry-After</c>) without an options dictionary per request.
/// </summary>
internal sealed class ProfileUpdateRequestMessage : HttpRequestMessage
{
    public ProfileUpdateRequestMessage(HttpMethod method, Uri requestUri)
        : base(method, requestUri)
    {
    }

    /// <summary>HTTP attempts made so far; incremented by the resilience handler before each attempt.</summary>
    public int Attempts { get; set; }

    /// <summary><see cref="TimeProvider.GetTimestamp"/> when the resilience handler started the update.</summary>
    public long StartTimestamp { get; set; }

    /// <summary>The clock of the resilience pipeline (for <c>Retry-After</c> dates); the system clock without one.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>How long the next retry waits (the server's <c>Retry-After</c>, else backoff), decided when the outcome was classified.</summary>
    public TimeSpan? PendingDelay { get; set; }

    /// <summary>The most of a response body the client reads: enough for every documented answer and the start of an error page.</summary>
    public const int MaxResponseBytes = 4096;

    private byte[]? _responseBuffer;

    /// <summary>How many bytes of the last attempt's response body <see cref="ResponseBody"/> holds, or -1 when none was read.</summary>
    public int ResponseLength { get; private set; } = -1;

    /// <summary>The start of the last attempt's response body, read by the resilience handler inside the attempt.</summary>
    public ReadOnlySpan<byte> ResponseBody => _responseBuffer is null || ResponseLength < 0 ? default : _responseBuffer.AsSpan(0, ResponseLength);

    /// <summary>A pooled buffer for the response body (kept across attempts, returned when the request is disposed).</summary>
    public byte[] RentResponseBuffer() => _responseBuffer ??= ArrayPool<byte>.Shared.Rent(MaxResponseBytes);

    /// <summary>Records how much of the buffer the last attempt filled.</summary>
    public void SetResponseLength(int length) => ResponseLength = length;

    protected override void Dispose(bool disposing)
    {
        if (disposing && Interlocked.Exchange(ref _responseBuffer, null) is { } buffer)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        base.Dispose(disposing);
    }
}
