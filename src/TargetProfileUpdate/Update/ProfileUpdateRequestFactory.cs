using System;
using System.Net.Http;
using TargetProfileUpdate.Encoding;

namespace TargetProfileUpdate.Http;

/// <summary>
/// Builds the request of one update. A GET costs one allocation for its URL (an exact-length
/// <see cref="string.Create{TState}(int, TState, System.Buffers.SpanAction{char, TState})"/>) plus the
/// <see cref="Uri"/>; a POST body is encoded into a pooled buffer.
/// </summary>
internal static class ProfileUpdateRequestFactory
{
    private static readonly UriCreationOptions NoCanonicalization = new() { DangerousDisablePathAndQueryCanonicalization = true };

    /// <summary>The absolute GET URL: <paramref name="updateUrl"/> + <c>?</c> + the encoded form; <paramref name="urlLength"/> is its exact length.</summary>
    public static string BuildGetUrl(string updateUrl, ProfileUpdate update, int urlLength) =>
        string.Create(urlLength, (Prefix: updateUrl, Update: update), static (span, state) =>
        {
            state.Prefix.CopyTo(span);
            span[state.Prefix.Length] = '?';
            ProfileUpdateEncoder.WriteForm(state.Update, span[(state.Prefix.Length + 1)..]);
        });

    /// <summary>
    /// The URL is exactly encoded already, so Uri's canonicalization of path and query is skipped: it would cost
    /// more than building the string, and it could only ever change bytes the encoder chose on purpose.
    /// </summary>
    public static Uri CreateUri(string url) => new(url, NoCanonicalization);

    /// <summary>Builds the message of one attempt: a GET to the URL built once per update, or a POST of the form body.</summary>
    public static HttpRequestMessage CreateMessage(RequestState state) => state.Method == HttpMethod.Get
        ? new HttpRequestMessage(HttpMethod.Get, state.RequestUri)
        : new HttpRequestMessage(HttpMethod.Post, state.RequestUri) { Content = new PooledFormContent((ProfileUpdate)state.Payload!, state.RequestBytes) };
}
