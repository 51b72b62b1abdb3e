using System;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http;
using TargetProfileUpdate.Diagnostics;
using TargetProfileUpdate.Http;

namespace TargetProfileUpdate.Bulk;

/// <summary>One batch submission's part of its call: a POST of the batch's CSV (identical bytes on every attempt), and the
/// reading of the XML answer (<c>success</c>, <c>batchStatus</c>).</summary>
internal readonly struct BulkSubmitRequest(EncodedBatch batch, Uri uri, BulkApiVersion version) : IProfileApiRequest<BulkBatch>
{
    public ProfileApiEndpoint Endpoint => ProfileApiEndpoint.BulkUpload;

    public int MaxAnswerBytes => BulkResponseParser.MaxSubmitAnswerBytes;

    public HttpRequestMessage CreateMessage() => new(HttpMethod.Post, uri) { Content = batch.CreateContent() };

    public bool IsAnswer(int status) => status is >= 200 and < 300;

    public BulkBatch ReadAnswer(int status, AttemptFacts facts, out string outcome)
    {
        var answer = BulkResponseParser.ParseSubmitAnswer(facts.BodyMemory);
        if (answer.Outcome != BulkSubmitOutcome.Accepted || answer.StatusUrl is null)
        {
            bool refused = answer.Outcome == BulkSubmitOutcome.Refused;
            throw ProfileApiFailures.Create(Endpoint, refused ? ProfileApiFailureReason.Rejected : ProfileApiFailureReason.UnexpectedAnswer,
                refused
                    ? string.Create(CultureInfo.InvariantCulture, $"Adobe Target refused the bulk batch: HTTP {status} with success=false, {facts.Attempts} attempt(s). Check the batch against the documented limits (under 50 MB, at most 500,000 rows) and format.")
                    : string.Create(CultureInfo.InvariantCulture, $"Adobe Target's answer to the bulk batch was not the documented XML (HTTP {status}, {facts.Attempts} attempt(s)); the batch is not known to be accepted."),
                status, attempts: facts.Attempts);
        }

        string batchId = answer.BatchId ?? BulkResponseParser.GetBatchId(answer.StatusUrl) ?? string.Empty;
        Activity.Current?.SetTag("target.bulk.batch_id", batchId);
        outcome = "accepted";
        return new BulkBatch(batchId, answer.StatusUrl, batch.FirstIndex, batch.Rows, batch.Length, version);
    }

    public string? Hint(int status) => status == 503
        ? " Adobe answers 503 over 50 bulk/admin calls per minute per account; the retries within the budget did not get through."
        : null;

    /// <summary>
    /// The answer to a batch submission is not kept: a server may echo any of the batch's ids or values, and a batch holds
    /// up to 500,000 rows, too many to mask reliably. The exception names the rows by index range instead.
    /// </summary>
    public string? KeepBody(ReadOnlySpan<byte> body, string? token) => null;

    public void Tag(Activity activity)
    {
        activity.SetTag("target.bulk.rows", batch.Rows);
        activity.SetTag("target.bulk.bytes", batch.Length);
    }

    public void Record(ProfileApiInstruments instruments, string outcome, ProfileApiException? error, int attempts, double seconds)
    {
        if (error is null && outcome == "accepted")
        {
            instruments.BulkBatches.Add(1);
            instruments.BulkRowsSent.Add(batch.Rows);
            instruments.BulkBytes.Add(batch.Length);
        }

        if (attempts > 1)
        {
            instruments.BulkRetries.Add(attempts - 1);
        }
    }
}
