using System;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http;
using TargetProfileUpdate.Diagnostics;
using TargetProfileUpdate.Http;

namespace TargetProfileUpdate.Privacy;

/// <summary>
/// One job status read: a GET of <c>…/data/core/privacy/jobs/{jobId}</c> with the <c>x-api-key</c> and
/// <c>x-gw-ims-org-id</c> headers; a 2xx is read as the job's status (Target's message with the job's ids masked).
/// </summary>
internal readonly struct PrivacyJobStatusRequest(string jobId, Uri uri, string orgId, string apiKey) : IProfileApiRequest<PrivacyJobStatus>
{
    public ProfileApiEndpoint Endpoint => ProfileApiEndpoint.PrivacyStatus;

    public int MaxAnswerBytes => ProfilePrivacyClient.MaxAnswerBytes;

    public HttpRequestMessage CreateMessage()
    {
        var message = new HttpRequestMessage(HttpMethod.Get, uri);
        message.Headers.TryAddWithoutValidation("x-api-key", apiKey);
        message.Headers.TryAddWithoutValidation("x-gw-ims-org-id", orgId);
        message.Headers.TryAddWithoutValidation("Accept", "application/json");
        return message;
    }

    public bool IsAnswer(int status) => status is >= 200 and < 300;

    public PrivacyJobStatus ReadAnswer(int status, AttemptFacts facts, out string outcome)
    {
        var answer = PrivacyAnswers.Read(facts, PrivacyJsonContext.Default.JobAnswer)
            ?? throw ProfileApiFailures.Create(Endpoint, ProfileApiFailureReason.UnexpectedAnswer,
                string.Create(CultureInfo.InvariantCulture, $"Privacy Service's job status answer was not the documented JSON (HTTP {status})."),
                status, attempts: facts.Attempts);
        var result = PrivacyJobAnswerReader.ToStatus(jobId, answer);
        outcome = result.State.ToString().ToLowerInvariant();
        return result;
    }

    public string? Hint(int status) => status switch
    {
        401 or 403 => PrivacyAnswers.AuthHint,
        404 => " Privacy Service does not know the job: check the id and the account (jobs are kept 30 days after they complete).",
        _ => null,
    };

    /// <summary>Withheld: a job answer lists the person's ids.</summary>
    public string? KeepBody(ReadOnlySpan<byte> body, string? token) => null;

    public void Tag(Activity activity)
    {
    }

    public void Record(ProfileApiInstruments instruments, string outcome, ProfileApiException? error, int attempts, double seconds)
    {
    }
}
