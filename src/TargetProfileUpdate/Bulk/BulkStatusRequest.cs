using System;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http;
using TargetProfileUpdate.Diagnostics;
using TargetProfileUpdate.Http;

namespace TargetProfileUpdate.Bulk;

/// <summary>One status poll's part of its call: a GET of the trusted status URL, and the reading of its XML answer.</summary>
internal readonly struct BulkStatusRequest(BulkBatch batch, Uri uri) : IProfileApiRequest<BulkBatchStatus>
{
    public ProfileApiEndpoint Endpoint => ProfileApiEndpoint.BulkStatus;

    public int MaxAnswerBytes => BulkResponseParser.MaxStatusAnswerBytes;

    public HttpRequestMessage CreateMessage() => new(HttpMethod.Get, uri);

    public bool IsAnswer(int status) => status is >= 200 and < 300;

    public BulkBatchStatus ReadAnswer(int status, AttemptFacts facts, out string outcome)
    {
        outcome = "read";
        return BulkResponseParser.ParseStatusAnswer(facts.BodyMemory, batch.BatchId)
            ?? throw ProfileApiFailures.Create(Endpoint, ProfileApiFailureReason.UnexpectedAnswer,
                string.Create(CultureInfo.InvariantCulture, $"The batch status answer was not the documented XML (HTTP {status})."),
                status, KeepBody(facts.Body, null), facts.Attempts);
    }

    public string? Hint(int status) => status == 404
        ? " Adobe keeps only the last 10 batch statuses per client, for at most 24 hours."
        : null;

    public string? KeepBody(ReadOnlySpan<byte> body, string? token) => ResponseBodyRedactor.Redact(body, token);

    public void Tag(Activity activity)
    {
    }

    public void Record(ProfileApiInstruments instruments, string outcome, ProfileApiException? error, int attempts, double seconds)
    {
    }
}
