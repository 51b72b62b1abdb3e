using System;
using System.Collections.Generic;

namespace TargetProfileUpdate.Emulator;

/// <summary>A request as the emulator received it, and what it did with it.</summary>
/// <param name="Sequence">1 for the first request since start or reset.</param>
/// <param name="ReceivedAt">When it arrived.</param>
/// <param name="Method">The HTTP method.</param>
/// <param name="Path">The raw path, as sent.</param>
/// <param name="RawQuery">The raw query string without <c>?</c>, as sent (still percent-encoded), with credential parameters
/// (<c>access_token</c>, <c>client_secret</c>, <c>client_id</c>, …) reading <c>name=***</c>.</param>
/// <param name="RawBody">The raw body as text (form bodies are ASCII once encoded; credential fields redacted like the query), a
/// placeholder for bulk bodies, or empty.</param>
/// <param name="Headers">The headers: those on the emulator's allow-list in clear, <c>Authorization</c> as its scheme and <c>***</c>,
/// every other value <c>***</c>.</param>
/// <param name="StatusCode">The status the emulator answered (0 when the connection was dropped).</param>
/// <param name="Outcome">What happened: <c>applied</c>, <c>dropped-unknown-profile</c>, <c>forbidden</c>, <c>quota-exceeded</c>, <c>uri-too-long</c>, <c>body-too-large</c>, <c>bad-request</c>, <c>fault:…</c>, <c>fetch</c>, …</param>
public sealed record RecordedRequest(
    long Sequence,
    DateTimeOffset ReceivedAt,
    string Method,
    string Path,
    string RawQuery,
    string RawBody,
    IReadOnlyDictionary<string, string> Headers,
    int StatusCode,
    string Outcome)
{
    /// <summary>Gets notes on what the emulator did that Adobe does not document (each starting <c>inferred:</c>), or on what
    /// it ignored or changed; empty for most requests.</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];
}
