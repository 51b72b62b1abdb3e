using System;
using System.Collections.Generic;

namespace TargetProfileUpdate;

/// <summary>
/// How a bulk upload ended. Every row taken from the source is accounted for: it is in an accepted batch
/// (<see cref="Sent"/>) or in <see cref="Rejections"/> (<see cref="Rejected"/>), and <c>Submitted == Sent + Rejected</c> always.
/// </summary>
/// <remarks>
/// Accepted means Adobe Target took the batch for processing; follow each batch with
/// <see cref="IBulkProfileUpdateClient.GetStatusAsync"/> or
/// <see cref="BulkProfileUpdateClientExtensions.WaitForCompletionAsync(IBulkProfileUpdateClient, BulkBatch, TimeSpan?, System.Threading.CancellationToken)"/>.
/// </remarks>
public sealed class BulkUploadResult
{
    /// <summary>Creates a result (for example in a test of your own code).</summary>
    /// <param name="batches">The accepted batches, in the order they were sent.</param>
    /// <param name="submitted">Rows taken from the source.</param>
    /// <param name="sent">Rows in accepted batches.</param>
    /// <param name="rejected">Rows rejected before sending; each is in <paramref name="rejections"/>.</param>
    /// <param name="rejections">The rejected rows, by source index.</param>
    /// <exception cref="ArgumentNullException"><paramref name="batches"/> or <paramref name="rejections"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The counts do not add up: <c>Submitted == Sent + Rejected</c>, <c>Rejected == Rejections.Count</c>,
    /// <c>Sent</c> equal to the sum of the batches' rows, none negative.</exception>
    public BulkUploadResult(IReadOnlyList<BulkBatch> batches, long submitted, long sent, long rejected, IReadOnlyList<BulkRowRejection> rejections)
    {
        ArgumentNullException.ThrowIfNull(batches);
        ArgumentNullException.ThrowIfNull(rejections);
        long batchRows = 0;
        var batchCopy = new BulkBatch[batches.Count];
        for (int i = 0; i < batchCopy.Length; i++)
        {
            batchCopy[i] = batches[i] ?? throw new ArgumentException("The batch list contains null.", nameof(batches));
            batchRows += batchCopy[i].Rows;
        }

        var rejectionCopy = new BulkRowRejection[rejections.Count];
        for (int i = 0; i < rejectionCopy.Length; i++)
        {
            rejectionCopy[i] = rejections[i] ?? throw new ArgumentException("The rejection list contains null.", nameof(rejections));
        }

        if (submitted < 0 || sent < 0 || rejected < 0 || sent + rejected != submitted)
        {
            throw new ArgumentException("Sent + Rejected must equal Submitted, and none may be negative.", nameof(submitted));
        }

        if (rejected != rejectionCopy.Length)
        {
            throw new ArgumentException("Rejected must equal the number of rejections.", nameof(rejected));
        }

        if (sent != batchRows)
        {
            throw new ArgumentException("Sent must equal the sum of the batches' rows.", nameof(sent));
        }

        Batches = Array.AsReadOnly(batchCopy);
        Submitted = submitted;
        Sent = sent;
        Rejected = rejected;
        Rejections = Array.AsReadOnly(rejectionCopy);
    }

    /// <summary>Gets the accepted batches, in the order they were sent.</summary>
    public IReadOnlyList<BulkBatch> Batches { get; }

    /// <summary>Gets how many rows were taken from the source (in a partial result: how many are accounted for).</summary>
    public long Submitted { get; }

    /// <summary>Gets how many rows are in accepted batches.</summary>
    public long Sent { get; }

    /// <summary>Gets how many rows were rejected before sending; each is listed in <see cref="Rejections"/>.</summary>
    public long Rejected { get; }

    /// <summary>Gets the rejected rows, ordered by their index in the source.</summary>
    public IReadOnlyList<BulkRowRejection> Rejections { get; }

    /// <summary>Checks what the bulk exceptions say about a partial result: every row before the first unaccepted one is accounted for.</summary>
    internal static void ValidatePartial(BulkUploadResult partialResult, long firstUnacceptedIndex, long unacceptedCount)
    {
        ArgumentNullException.ThrowIfNull(partialResult);
        if (firstUnacceptedIndex != partialResult.Submitted)
        {
            throw new ArgumentOutOfRangeException(nameof(firstUnacceptedIndex), "The first unaccepted index must equal PartialResult.Submitted: every row before it is accounted for.");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(unacceptedCount, nameof(unacceptedCount));
    }
}
