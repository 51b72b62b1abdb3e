using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using TargetProfileUpdate.Bulk;
using TargetProfileUpdate.DependencyInjection;
using TargetProfileUpdate.Diagnostics;
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

    /// <inheritdoc />
    public Task<BulkBatchStatus> GetStatusAsync(BulkBatch batch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var uri = StatusUrlTrust.GetTrustedStatusRequestUri(batch.StatusUrl, _account.BaseAddress);
        return _account.BulkStatusCall.SendAsync<BulkStatusRequest, BulkBatchStatus>(new BulkStatusRequest(batch, uri), cancellationToken).AsTask();
    }

    /// <summary>The whole upload: one activity over the batches, each batch one call of the envelope.</summary>
    private async Task<BulkUploadResult> UploadCoreAsync(IAsyncEnumerable<ProfileUpdate> updates, BulkUploadOptions? options, BulkApiVersion version, CancellationToken cancellationToken)
    {
        using var activity = ProfileApiInstruments.ActivitySource.StartActivity(ProfileApiInstruments.BulkUploadActivityName, ActivityKind.Internal);
        activity?.SetTag("target.bulk.api_version", version == BulkApiVersion.V1 ? "v1" : "v2");
        string outcome = "failed";
        try
        {
            var uri = version == BulkApiVersion.V1 ? _v1 : _v2;
            var result = await BulkUploader.UploadAsync(
                updates,
                options,
                (batch, ct) => _account.BulkCall.SendAsync<BulkSubmitRequest, BulkBatch>(new BulkSubmitRequest(batch, uri, version), ct),
                cancellationToken,
                _linter,
                _account.Suppression,
                OnSuppressed).ConfigureAwait(false);
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
}
