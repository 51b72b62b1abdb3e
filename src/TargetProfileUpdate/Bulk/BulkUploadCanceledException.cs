using System;
using System.Threading;

namespace TargetProfileUpdate;

/// <summary>
/// A bulk upload was canceled by the caller. Derived from <see cref="OperationCanceledException"/>, so cancellation behaves
/// as .NET callers expect; <see cref="PartialResult"/> accounts for every row before <see cref="FirstUnacceptedIndex"/>.
/// </summary>
/// <remarks>
/// A batch whose request was in flight when the token was canceled counts as not accepted, although Adobe Target may have
/// received it: resending its rows repeats the same updates, which is harmless.
/// </remarks>
public sealed class BulkUploadCanceledException : OperationCanceledException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="partialResult">The accepted batches and the rejections before <paramref name="firstUnacceptedIndex"/>.</param>
    /// <param name="firstUnacceptedIndex">The source index of the first row that was not accepted.</param>
    /// <param name="unacceptedCount">How many rows from <paramref name="firstUnacceptedIndex"/> on were read from the source.</param>
    /// <param name="cancellationToken">The token that was canceled.</param>
    /// <exception cref="ArgumentNullException"><paramref name="partialResult"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="firstUnacceptedIndex"/> is not the partial result's
    /// <see cref="BulkUploadResult.Submitted"/>, or <paramref name="unacceptedCount"/> is negative.</exception>
    public BulkUploadCanceledException(BulkUploadResult partialResult, long firstUnacceptedIndex, long unacceptedCount, CancellationToken cancellationToken)
        : base("The bulk upload was canceled; PartialResult accounts for every row before FirstUnacceptedIndex, and no row from it on was accepted.", cancellationToken)
    {
        BulkUploadResult.ValidatePartial(partialResult, firstUnacceptedIndex, unacceptedCount);
        PartialResult = partialResult;
        FirstUnacceptedIndex = firstUnacceptedIndex;
        UnacceptedCount = unacceptedCount;
    }

    /// <summary>Gets the accepted batches and the rows rejected before <see cref="FirstUnacceptedIndex"/>.</summary>
    public BulkUploadResult PartialResult { get; }

    /// <summary>Gets the source index of the first row that was not accepted; resume the upload from here.</summary>
    public long FirstUnacceptedIndex { get; }

    /// <summary>Gets how many rows from <see cref="FirstUnacceptedIndex"/> on had been read from the source.</summary>
    public long UnacceptedCount { get; }
}
