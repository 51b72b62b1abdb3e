using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using TargetProfileUpdate.Bulk;
using TargetProfileUpdate.DependencyInjection;
using TargetProfileUpdate.Diagnostics;
using TargetProfileUpdate.Http;
using TargetProfileUpdate.Suppression;

namespace TargetProfileUpdate;

/// <summary>
/// Sends CSV batches to Adobe Target's Bulk Profile Update API (<c>POST /m2/{clientCode}/v2/profile/batchUpdate</c>, or v1)
/// and reads their status. Registered by <c>AddTargetProfileUpdate</c> for every account; sealed and thread-safe.
/// </summary>
/// <remarks>
/// Calls share the account's token provider and HTTP client, take one permit each from the account's bulk/admin limiter
/// (50 per minute), and are retried on connection failures, timeouts and 408/429/5xx (503 is Adobe's answer over the
/// per-minute limit), honouring <c>Retry-After</c>; other 4xx and <c>success=false</c> are final. A batch is held in
/// pooled memory until it is accepted, so a retry resends identical bytes. The bearer token is sent to a status URL
/// only when it is https on <c>*.tt.omtrdc.net</c> or has the configured <c>BaseAddress</c> origin.
/// </remarks>
public sealed class BulkProfileUpdateClient : IBulkProfileUpdateClient
{
    private const string What = "The bulk batch";
    private readonly TargetAccount _account;
    private readonly Uri _v1;
    private readonly Uri _v2;
    private readonly ProfileAttributeLinter _linter;

    internal BulkProfileUpdateClient(TargetAccount account)
    {
        _account = account;
        string prefix = account.BaseAddress.AbsoluteUri + "m2/" + account.Options.ClientCode;
        _v1 = new Uri(prefix + "/profile/batchUpdate", UriKind.Absolute);
        _v2 = new Uri(prefix + "/v2/profile/batchUpdate", UriKind.Absolute);
        _linter = new ProfileAttributeLinter(account.Options.Linting, account.LoggerFactory.CreateLogger<BulkProfileUpdateClient>());
    }

    /// <inheritdoc />
    public Task<BulkUploadResult> UploadAsync(IAsyncEnumerable<ProfileUpdate> updates, BulkUploadOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(updates);
        var version = options?.ApiVersion ?? BulkApiVersion.V2;
        return UploadCoreAsync(updates, options, version, cancellationToken);
    }

    private async Task<BulkUploadResult> UploadCoreAsync(IAsyncEnumerable<ProfileUpdate> updates, BulkUploadOptions? options, BulkApiVersion version, CancellationToken cancellationToken)
    {
        using var activity = ProfileUpdateTelemetry.ActivitySource.StartActivity(ProfileUpdateTelemetry.BulkUploadActivityName, ActivityKind.Internal);
        activity?.SetTag("target.bulk.api_version", version == BulkApiVersion.V1 ? "v1" : "v2");
        string outcome = "failed";
        try
        {
            var result = await BulkUploader.UploadAsync(updates, options, (batch, ct) => SubmitAsync(batch, version, ct), cancellationToken, _linter, _account.Suppression, OnSuppressed).ConfigureAwait(false);
            outcome = "accepted";
            if (activity is not null)
            {
                activity.SetTag("target.bulk.batches", result.Batches.Count);
                activity.SetTag("target.bulk.rows_sent", result.Sent);
                activity.SetTag("target.bulk.rows_rejected", result.Rejected);
            }

            _account.Telemetry.BulkRowsRejected.Add(result.Rejected);
            return result;
        }
        catch (OperationCanceledException)
        {
            outcome = "canceled";
            throw;
        }
        finally
        {
            activity?.SetTag("target.bulk.outcome", outcome);
            if (outcome != "accepted")
            {
                activity?.SetStatus(ActivityStatusCode.Error, outcome);
            }
        }
    }

    private void OnSuppressed() => SuppressionGuard.Record(_account.Telemetry, _account.SuppressionLogger, SuppressionGuard.BulkRow);

    private async ValueTask<BulkBatch> SubmitAsync(EncodedBatch batch, BulkApiVersion version, CancellationToken cancellationToken)
    {
        using var activity = ProfileUpdateTelemetry.ActivitySource.StartActivity(ProfileUpdateTelemetry.BulkBatchActivityName, ActivityKind.Internal);
        activity?.SetTag("target.bulk.rows", batch.Rows);
        activity?.SetTag("target.bulk.bytes", batch.Length);
        using var state = new RequestState(static s => new HttpRequestMessage(HttpMethod.Post, s.RequestUri) { Content = ((EncodedBatch)s.Payload!).CreateContent() }, batch, BulkResponseParser.MaxSubmitAnswerBytes)
        {
            Method = HttpMethod.Post,
            RequestUri = version == BulkApiVersion.V1 ? _v1 : _v2,
            RequestBytes = (int)Math.Min(batch.Length, int.MaxValue),
        };

        using var response = await SendAsync(_account.BulkSender, state, cancellationToken).ConfigureAwait(false);
        int status = (int)response.StatusCode;
        if (state.Attempts > 1)
        {
            _account.Telemetry.BulkRetries.Add(state.Attempts - 1);
        }

        if (status is not (>= 200 and < 300))
        {
            throw Fail(ApiFailure.FromStatus(status, state, What, WithheldBody, status == 503
                ? " Adobe answers 503 over 50 bulk/admin calls per minute per account; the retries within the budget did not get through."
                : null), state);
        }

        var answer = BulkResponseParser.ParseSubmitAnswer(state.BodyMemory);
        if (answer.Outcome != BulkSubmitOutcome.Accepted || answer.StatusUrl is null)
        {
            bool refused = answer.Outcome == BulkSubmitOutcome.Refused;
            throw Fail(new ApiFailure(refused ? FailureReason.Rejected : FailureReason.UnknownAnswer,
                refused
                    ? string.Create(CultureInfo.InvariantCulture, $"Adobe Target refused the bulk batch: HTTP {status} with success=false, {state.Attempts} attempt(s). Check the batch against the documented limits (under 50 MB, at most 500,000 rows) and format.")
                    : string.Create(CultureInfo.InvariantCulture, $"Adobe Target's answer to the bulk batch was not the documented XML (HTTP {status}, {state.Attempts} attempt(s)); the batch is not known to be accepted."),
                status, WithheldBody, state.Attempts, false), state);
        }

        string batchId = answer.BatchId ?? BulkResponseParser.GetBatchId(answer.StatusUrl) ?? string.Empty;
        _account.Telemetry.BulkBatches.Add(1);
        _account.Telemetry.BulkRowsSent.Add(batch.Rows);
        _account.Telemetry.BulkBytes.Add(batch.Length);
        activity?.SetTag("target.bulk.batch_id", batchId);
        return new BulkBatch(batchId, answer.StatusUrl, batch.FirstIndex, batch.Rows, batch.Length, version);
    }

    /// <inheritdoc />
    public async Task<BulkBatchStatus> GetStatusAsync(BulkBatch batch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var uri = StatusUrlTrust.GetTrustedStatusRequestUri(batch.StatusUrl, _account.BaseAddress);
        using var state = new RequestState(static s => new HttpRequestMessage(HttpMethod.Get, s.RequestUri), batch, BulkResponseParser.MaxStatusAnswerBytes)
        {
            RequestUri = uri,
        };

        using var response = await SendAsync(_account.BulkStatusSender, state, cancellationToken).ConfigureAwait(false);
        int status = (int)response.StatusCode;
        if (status is not (>= 200 and < 300))
        {
            throw Fail(ApiFailure.FromStatus(status, state, "The batch status request", Redact(state), status == 404
                ? " Adobe keeps only the last 10 batch statuses per client, for at most 24 hours."
                : null), state);
        }

        return BulkResponseParser.ParseStatusAnswer(state.BodyMemory, batch.BatchId)
            ?? throw Fail(new ApiFailure(FailureReason.UnknownAnswer,
                string.Create(CultureInfo.InvariantCulture, $"The batch status answer was not the documented XML (HTTP {status})."),
                status, Redact(state), state.Attempts, false), state);
    }

    private static async Task<HttpResponseMessage> SendAsync(ProfileApiSender sender, RequestState state, CancellationToken cancellationToken)
    {
        try
        {
            return await sender.SendAsync(state, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (ProfileApiAuthenticationException)
        {
            throw;
        }
        catch (Exception ex)
        {
            throw Fail(ApiFailure.FromException(ex, state, What, static _ => WithheldBody), state);
        }
    }

    /// <summary>
    /// The answer to a batch submission is not kept: a server may echo any of the batch's ids or values, and a batch holds
    /// up to 500,000 rows, too many to mask reliably. The exception names the rows by index range instead.
    /// </summary>
    private const string? WithheldBody = null;

    private static string? Redact(RequestState state) => ResponseBodyRedactor.Redact(state.Body, state.Token);

    private static ProfileApiException Fail(ApiFailure failure, RequestState state)
    {
        state.Reason = failure.Reason;
        return failure.ToApiException();
    }
}
