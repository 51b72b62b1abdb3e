using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace TargetProfileUpdate;

/// <summary>
/// Sends many profile updates to Adobe Target's Bulk Profile Update API as CSV batches (up to 500,000 rows and
/// 50 MB each) and follows each batch to completion.
/// </summary>
/// <remarks>
/// <para>Choose bulk for large loads (backfills, nightly syncs); the Single Profile Update API allows 1,000,000 updates
/// per 24 hours, one visitor per call. Bulk calls share Target's limit of 50 calls per minute with the admin APIs.</para>
/// <para>Empty values are ignored by Adobe: an attribute cannot be cleared through bulk. Adobe states that up to 0.1 %
/// of a large batch may not be onboarded.</para>
/// <para>See <see cref="BulkProfileUpdateClientExtensions"/> for a synchronous-source overload and status polling.</para>
/// </remarks>
public interface IBulkProfileUpdateClient
{
    /// <summary>
    /// Reads the source once, streaming, cuts it into batches at <see cref="BulkUploadOptions.MaxRowsPerBatch"/> or
    /// <see cref="BulkUploadOptions.MaxBytesPerBatch"/>, whichever comes first, and submits them one after the other.
    /// </summary>
    /// <param name="updates">The updates, all keyed by the same kind of id (the first accepted row fixes it).</param>
    /// <param name="options">API version, limits and progress; defaults when <see langword="null"/>.</param>
    /// <param name="cancellationToken">Stops reading the source and cancels the request in flight.</param>
    /// <returns>The accepted batches and the rejected rows; <c>Submitted == Sent + Rejected</c>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="updates"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    /// <exception cref="BulkUploadException">A batch was finally refused; its <c>PartialResult</c> and <c>FirstUnacceptedIndex</c>
    /// say exactly which rows were not accepted.</exception>
    /// <exception cref="BulkUploadCanceledException">The token was canceled; its <c>PartialResult</c> accounts for the rows before
    /// <c>FirstUnacceptedIndex</c>.</exception>
    Task<BulkUploadResult> UploadAsync(IAsyncEnumerable<ProfileUpdate> updates, BulkUploadOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Asks the batch's status URL (with <c>showDetails=true</c>) how far processing has come.</summary>
    /// <param name="batch">A batch from <see cref="BulkUploadResult.Batches"/>.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The batch's state and counts.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="batch"/> is <see langword="null"/>.</exception>
    /// <exception cref="ProfileApiException">The status URL is not trusted (the token goes only to https on
    /// <c>*.tt.omtrdc.net</c> or the configured base address), or the request failed.</exception>
    Task<BulkBatchStatus> GetStatusAsync(BulkBatch batch, CancellationToken cancellationToken = default);
}
