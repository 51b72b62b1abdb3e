using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http;
using System.Net.Http.Headers;
using TargetProfileUpdate.Diagnostics;
using TargetProfileUpdate.Http;

namespace TargetProfileUpdate.Privacy;

/// <summary>
/// One request of up to 1,000 users to Privacy Service: a JSON POST of <c>…/data/core/privacy/jobs</c> with the
/// <c>x-api-key</c> and <c>x-gw-ims-org-id</c> headers (the envelope adds the IMS bearer token); a 2xx is read as the
/// created jobs, in the order of the users. Answers are never kept in exceptions: they list up to 1,000 ids and keys.
/// </summary>
internal readonly struct PrivacyJobsRequest(
    ProfilePrivacyClient client,
    Uri uri,
    byte[] body,
    string orgId,
    string apiKey,
    IReadOnlyList<ProfileId> users,
    Dictionary<string, int> keys,
    PrivacyAction action) : IProfileApiRequest<List<PrivacyJob>>
{
    public ProfileApiEndpoint Endpoint => ProfileApiEndpoint.Privacy;

    public int MaxAnswerBytes => ProfilePrivacyClient.MaxAnswerBytes;

    public HttpRequestMessage CreateMessage()
    {
        var message = new HttpRequestMessage(HttpMethod.Post, uri)
        {
            Content = new ByteArrayContent(body) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } },
        };
        message.Headers.TryAddWithoutValidation("x-api-key", apiKey);
        message.Headers.TryAddWithoutValidation("x-gw-ims-org-id", orgId);
        return message;
    }

    public bool IsAnswer(int status) => status is >= 200 and < 300;

    public List<PrivacyJob> ReadAnswer(int status, AttemptFacts facts, out string outcome)
    {
        var answer = PrivacyAnswers.Read(facts, PrivacyJsonContext.Default.CreateJobsAnswer);
        if (answer?.Jobs is not { Count: > 0 } created)
        {
            throw ProfileApiFailures.Create(Endpoint, ProfileApiFailureReason.UnexpectedAnswer,
                string.Create(CultureInfo.InvariantCulture, $"Privacy Service's answer to the job request was not the documented JSON with jobs (HTTP {status}); the jobs are not known to exist."),
                status, attempts: facts.Attempts);
        }

        var jobs = new List<(int Order, PrivacyJob Job)>(created.Count);
        foreach (var job in created)
        {
            if (job?.JobId is not { Length: > 0 } jobId)
            {
                continue;
            }

            string? key = job.Customer?.User?.Key;
            int order = key is not null && keys.TryGetValue(key, out int i) ? i : int.MaxValue;
            var jobAction = PrivacyAnswers.ParseAction(job.Customer?.User?.Action) ?? action;
            jobs.Add((order, new PrivacyJob(jobId, client, client.Time, jobAction, key, order == int.MaxValue ? null : users[order])));
        }

        jobs.Sort(static (a, b) => a.Order.CompareTo(b.Order));
        outcome = "accepted";
        return jobs.ConvertAll(static j => j.Job);
    }

    public string? Hint(int status) => status switch
    {
        401 or 403 => PrivacyAnswers.AuthHint,
        400 => " Check the regulation (Adobe renames values; see PrivacyRegulation) and Privacy:ImsOrgId.",
        _ => null,
    };

    /// <summary>Withheld: a job answer lists the people's ids and keys.</summary>
    public string? KeepBody(ReadOnlySpan<byte> body, string? token) => null;

    public void Tag(Activity activity)
    {
        activity.SetTag("target.privacy.action", action == PrivacyAction.Delete ? "delete" : "access");
        activity.SetTag("target.privacy.users", users.Count);
    }

    public void Record(ProfileApiInstruments instruments, string outcome, ProfileApiException? error, int attempts, double seconds)
    {
    }
}
