using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http;
using TargetProfileUpdate.Diagnostics;
using TargetProfileUpdate.Http;

namespace TargetProfileUpdate.Fetch;

/// <summary>One fetch's part of its call: a GET of the profile's URL; a 200 is read as a profile, a 404 as "no profile".</summary>
internal readonly struct ProfileFetchRequest(ProfileId id, Uri uri) : IProfileApiRequest<TargetProfile?>
{
    public ProfileApiEndpoint Endpoint => ProfileApiEndpoint.Fetch;

    public int MaxAnswerBytes => ProfileFetchClient.MaxAnswerBytes;

    public HttpRequestMessage CreateMessage() => new(HttpMethod.Get, uri);

    public bool IsAnswer(int status) => status is (>= 200 and < 300) or 404;

    public TargetProfile? ReadAnswer(int status, AttemptFacts facts, out string outcome)
    {
        if (status == 404)
        {
            outcome = "not_found";
            return null;
        }

        if (facts.BodyTruncated)
        {
            throw ProfileApiFailures.Create(Endpoint, ProfileApiFailureReason.UnexpectedAnswer,
                string.Create(CultureInfo.InvariantCulture, $"The profile answer is larger than {ProfileFetchClient.MaxAnswerBytes} bytes, the SDK's cap (a profile holds at most 64 KB of external data); it was not read."),
                status, attempts: facts.Attempts);
        }

        var profile = ProfileAnswerReader.Read(id, status, facts);
        outcome = profile is null ? "not_found" : "found";
        return profile;
    }

    public string? Hint(int status) => status != 429
        ? null
        : " Adobe's fetch limit was reached; the server's answer (which may name the wait) is in ResponseBody.";

    public string? KeepBody(ReadOnlySpan<byte> body, string? token) => ResponseBodyRedactor.Redact(body, id.Value, token);

    public void Tag(Activity activity) => activity.SetTag("target.profile_fetch.id_kind", id.Kind.ToString());

    public void Record(ProfileApiInstruments instruments, string outcome, ProfileApiException? error, int attempts, double seconds)
    {
        var tag = new KeyValuePair<string, object?>("outcome", outcome);
        instruments.Fetches.Add(1, tag);
        instruments.FetchDuration.Record(seconds, tag);
    }
}
