using System;
using System.Net.Http;

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
}
