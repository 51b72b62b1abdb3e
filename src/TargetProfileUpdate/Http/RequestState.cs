using System;
using System.Buffers;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Polly;
using TargetProfileUpdate.Diagnostics;

namespace TargetProfileUpdate.Http;

/// <summary>
/// The state of one call (an update, a fetch, a bulk submit or status poll) across its attempts: the one place the
/// sender, the resilience strategies and the endpoint client share. Carried in Polly's <see cref="ResilienceContext"/>;
/// strategies read it, only the attempt itself and the sender write it.
/// </summary>
internal sealed class RequestState : IDisposable
{
    public static readonly ResiliencePropertyKey<RequestState> Key = new("TargetProfileUpdate.RequestState");

    private byte[]? _body;

    public RequestState(Func<RequestState, HttpRequestMessage> createMessage, object? payload, int maxBodyBytes = DefaultMaxBodyBytes)
    {
        CreateMessage = createMessage;
        Payload = payload;
        MaxBodyBytes = maxBodyBytes;
    }

    /// <summary>The most of a response body read by default: enough for every documented answer and the start of an error page.</summary>
    public const int DefaultMaxBodyBytes = 4096;

    /// <summary>Builds the request message of one attempt (a new message per attempt, identical bytes every time).</summary>
    public Func<RequestState, HttpRequestMessage> CreateMessage { get; }

    /// <summary>What the endpoint client needs to build its message (the update, the id, the batch).</summary>
    public object? Payload { get; }

    /// <summary>Where the call goes (set by the endpoint client before sending).</summary>
    public Uri? RequestUri { get; set; }

    /// <summary>The HTTP method of the call.</summary>
    public HttpMethod Method { get; set; } = HttpMethod.Get;

    /// <summary>The size checked against the endpoint's limit (URL for GET, body for POST).</summary>
    public int RequestBytes { get; set; }

    /// <summary>The most of the response body the attempt reads; a longer body sets <see cref="BodyTruncated"/>.</summary>
    public int MaxBodyBytes { get; }

    /// <summary>The value of the <c>Authorization</c> header for the next attempt, or <see langword="null"/>.</summary>
    public string? Authorization { get; set; }

    /// <summary>The token value in <see cref="Authorization"/>, for redaction.</summary>
    public string? Token { get; set; }

    /// <summary>HTTP requests actually put on the wire.</summary>
    public int Attempts { get; set; }

    /// <summary>When the first attempt was admitted (0 before); the total timeout counts from here, not from queueing.</summary>
    public long StartTimestamp { get; set; }

    /// <summary>The status of the last response, or <see langword="null"/> when none arrived.</summary>
    public int? LastStatus { get; set; }

    /// <summary>The server's <c>Retry-After</c> of the last response, when it sent one.</summary>
    public TimeSpan? LastRetryAfter { get; set; }

    /// <summary>Why the call failed, set where it was classified.</summary>
    public FailureReason Reason { get; set; }

    /// <summary>How long the client-side limiter said to wait, when it refused.</summary>
    public TimeSpan? LimiterRetryAfter { get; set; }

    /// <summary>How many bytes of the last response body <see cref="Body"/> holds, or -1 when none was read.</summary>
    public int BodyLength { get; private set; } = -1;

    /// <summary>Whether the last body was longer than <see cref="MaxBodyBytes"/>.</summary>
    public bool BodyTruncated { get; private set; }

    /// <summary>The start of the last response body, read inside its attempt.</summary>
    public ReadOnlySpan<byte> Body => _body is null || BodyLength < 0 ? default : _body.AsSpan(0, BodyLength);

    /// <summary>The same as <see cref="Body"/>, as memory.</summary>
    public ReadOnlyMemory<byte> BodyMemory => _body is null || BodyLength < 0 ? default : _body.AsMemory(0, BodyLength);

    /// <summary>Reads the body (at most <see cref="MaxBodyBytes"/>) into a pooled buffer kept across attempts.</summary>
    public async ValueTask ReadBodyAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        BodyLength = -1;
        BodyTruncated = false;
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        _body ??= ArrayPool<byte>.Shared.Rent(Math.Min(MaxBodyBytes + 1, DefaultMaxBodyBytes));
        int total = 0;
        while (true)
        {
            if (total == _body.Length)
            {
                if (_body.Length > MaxBodyBytes)
                {
                    break;
                }

                var larger = ArrayPool<byte>.Shared.Rent(Math.Min(MaxBodyBytes + 1, _body.Length * 2));
                _body.AsSpan(0, total).CopyTo(larger);
                ArrayPool<byte>.Shared.Return(_body);
                _body = larger;
            }

            int read = await stream.ReadAsync(_body.AsMemory(total, Math.Min(_body.Length, MaxBodyBytes + 1) - total), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                break;
            }

            total += read;
            if (total > MaxBodyBytes)
            {
                break;
            }
        }

        BodyTruncated = total > MaxBodyBytes;
        BodyLength = Math.Min(total, MaxBodyBytes);
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _body, null) is { } buffer)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
