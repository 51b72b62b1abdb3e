using System;
using System.Buffers;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace TargetProfileUpdate.Http;

/// <summary>
/// What the attempts of one call have established, and nothing else: how many went on the wire, when the first was
/// admitted, the last status, its <c>Retry-After</c> and the start of its body. Carried in Polly's context under
/// <see cref="ResilienceKeys.Attempt"/>; the retry predicate, the backoff and the attempt timeout read it. Each fact has one
/// writer: the attempt (<see cref="ProfileApiCall"/>) writes the answer facts, the admission strategy the start time.
/// </summary>
internal class AttemptFacts : IDisposable
{
    /// <summary>The most of a response body read by default: enough for every documented answer and the start of an error page.</summary>
    public const int DefaultMaxBodyBytes = 4096;

    private byte[]? _body;

    public AttemptFacts(int maxBodyBytes = DefaultMaxBodyBytes) => MaxBodyBytes = maxBodyBytes;

    /// <summary>The most of the response body an attempt reads; a longer body sets <see cref="BodyTruncated"/>.</summary>
    public int MaxBodyBytes { get; }

    /// <summary>HTTP requests actually put on the wire.</summary>
    public int Attempts { get; private set; }

    /// <summary>When the first attempt was admitted (0 before); the total timeout counts from here, not from queueing.</summary>
    public long StartTimestamp { get; private set; }

    /// <summary>The status of the last response, or <see langword="null"/> when none arrived.</summary>
    public int? LastStatus { get; private set; }

    /// <summary>The server's <c>Retry-After</c> of the last transient response, when it sent one.</summary>
    public TimeSpan? LastRetryAfter { get; private set; }

    /// <summary>How many bytes of the last response body <see cref="Body"/> holds, or -1 when none was read.</summary>
    public int BodyLength { get; private set; } = -1;

    /// <summary>Whether the last body was longer than <see cref="MaxBodyBytes"/>.</summary>
    public bool BodyTruncated { get; private set; }

    /// <summary>The start of the last response body, read inside its attempt.</summary>
    public ReadOnlySpan<byte> Body => _body is null || BodyLength < 0 ? default : _body.AsSpan(0, BodyLength);

    /// <summary>The same as <see cref="Body"/>, as memory.</summary>
    public ReadOnlyMemory<byte> BodyMemory => _body is null || BodyLength < 0 ? default : _body.AsMemory(0, BodyLength);

    /// <summary>The admission let the first attempt go (later admissions keep the first time).</summary>
    public void Admitted(long timestamp)
    {
        if (StartTimestamp == 0)
        {
            StartTimestamp = timestamp;
        }
    }

    /// <summary>A new round of attempts starts (after a forced token refresh): the next admission starts the budget again.</summary>
    public void RestartBudget() => StartTimestamp = 0;

    /// <summary>An attempt goes on the wire.</summary>
    public void Sending() => Attempts++;

    /// <summary>An attempt was answered.</summary>
    public void Answered(int status, TimeSpan? retryAfter)
    {
        LastStatus = status;
        LastRetryAfter = retryAfter;
    }

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
