using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http;
using TargetProfileUpdate.Diagnostics;
using TargetProfileUpdate.Encoding;
using TargetProfileUpdate.Http;

namespace TargetProfileUpdate.Update;

/// <summary>
/// One update's part of its call: a GET to the URL built once per update (one exact-length string plus its
/// <see cref="Uri"/>), or a form POST whose body is encoded into a pooled buffer per attempt; and the reading of the
/// answer (<c>true…</c> / <c>&lt;success&gt;true&lt;/success&gt;</c>).
/// </summary>
internal readonly struct ProfileUpdateRequest(ProfileUpdate update, HttpMethod method, Uri uri, int requestBytes) : IProfileApiRequest<ProfileUpdateResult>
{
    private static readonly UriCreationOptions NoCanonicalization = new() { DangerousDisablePathAndQueryCanonicalization = true };

    public ProfileApiEndpoint Endpoint => ProfileApiEndpoint.Update;

    public int MaxAnswerBytes => AttemptFacts.DefaultMaxBodyBytes;

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

    public HttpRequestMessage CreateMessage() => method == HttpMethod.Get
        ? new HttpRequestMessage(HttpMethod.Get, uri)
        : new HttpRequestMessage(HttpMethod.Post, uri) { Content = new PooledFormContent(update, requestBytes) };

    public bool IsAnswer(int status) => status is >= 200 and < 300;

    public ProfileUpdateResult ReadAnswer(int status, AttemptFacts facts, out string outcome)
    {
        var verdict = SuccessAnswer.Parse(facts.Body, out string message);
        if (verdict == SuccessVerdict.Accepted)
        {
            outcome = "accepted";
            return new ProfileUpdateResult(message, method, facts.Attempts, requestBytes);
        }

        bool rejected = verdict == SuccessVerdict.Rejected;
        string what = rejected
            ? "Adobe Target rejected the profile update (its answer was 'false')"
            : "Adobe Target's answer was not a profile update result (empty, HTML or unknown body); the update is not known to be accepted";
        throw ProfileApiFailures.Create(Endpoint, rejected ? ProfileApiFailureReason.Rejected : ProfileApiFailureReason.UnexpectedAnswer,
            string.Create(CultureInfo.InvariantCulture, $"{what}: HTTP {status}, {facts.Attempts} attempt(s)."),
            status, KeepBody(facts.Body, null), facts.Attempts);
    }

    public string? Hint(int status) => status is 414 or 413
        ? " The server's size limit is lower than the client's: lower MaxGetRequestBytes or MaxPostRequestBytes."
        : null;

    public string? KeepBody(ReadOnlySpan<byte> body, string? token) => ResponseBodyRedactor.Redact(body, update, token);

    public void Tag(Activity activity)
    {
        activity.SetTag("http.request.method", method.Method);
        activity.SetTag("target.profile_update.size_bucket", ProfileApiInstruments.SizeBucket(requestBytes));
    }

    public void Record(ProfileApiInstruments instruments, string outcome, ProfileApiException? error, int attempts, double seconds)
    {
        var methodTag = new KeyValuePair<string, object?>("http.request.method", method.Method);
        instruments.Duration.Record(seconds, methodTag, new KeyValuePair<string, object?>("outcome", outcome));
        if (error is null)
        {
            if (outcome == "accepted")
            {
                instruments.Sent.Add(1, methodTag);
            }

            return;
        }

        instruments.Failed.Add(1, new KeyValuePair<string, object?>("reason", outcome));
        if (error.Reason is ProfileApiFailureReason.ClientRateLimited or ProfileApiFailureReason.ServerRateLimited)
        {
            instruments.RateLimited.Add(1, new KeyValuePair<string, object?>("source", error.Reason == ProfileApiFailureReason.ClientRateLimited ? "client" : "server"));
        }
    }
}
