using System;

namespace TargetProfileUpdate;

/// <summary>
/// A bulk upload stopped because a batch was finally refused (or could not be sent, or the source failed).
/// Nothing is dropped silently: <see cref="PartialResult"/> accounts for every row before <see cref="FirstUnacceptedIndex"/>
/// (in accepted batches or rejected), and every row from <see cref="FirstUnacceptedIndex"/> on was not accepted.
/// </summary>
/// <remarks>
/// To resume, upload the source's rows from <see cref="FirstUnacceptedIndex"/> on. <see cref="UnacceptedCount"/> of them
/// were already read from the source; the source was not read further. The message never contains profile ids,
/// attribute values, tokens or text the server supplied.
/// </remarks>
public sealed class BulkUploadException : ProfileApiException
{
    /// <summary>Creates the exception; <see cref="ProfileApiException.Reason"/> is the inner <see cref="ProfileApiException"/>'s
    /// (<see cref="ProfileApiFailureReason.Unexpected"/> when the source, not a call, failed).</summary>
    /// <param name="message">The message; must not contain personal data or secrets.</param>
    /// <param name="partialResult">The accepted batches and the rejections before <paramref name="firstUnacceptedIndex"/>.</param>
    /// <param name="firstUnacceptedIndex">The source index of the first row that was not accepted.</param>
    /// <param name="unacceptedCount">How many rows from <paramref name="firstUnacceptedIndex"/> on were read from the source.</param>
    /// <param name="statusCode">The HTTP status of the last response, or <see langword="null"/> when none arrived.</param>
    /// <param name="responseBody">The start of the last response body, already redacted, or <see langword="null"/>.</param>
    /// <param name="attempts">How many HTTP attempts were made for the refused batch.</param>
    /// <param name="isTransient">Whether trying again later may succeed.</param>
    /// <param name="innerException">The cause, if any.</param>
    /// <exception cref="ArgumentNullException"><paramref name="partialResult"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="firstUnacceptedIndex"/> is not the partial result's
    /// <see cref="BulkUploadResult.Submitted"/>, or <paramref name="unacceptedCount"/> is negative.</exception>
    public BulkUploadException(
        string message,
        BulkUploadResult partialResult,
        long firstUnacceptedIndex,
        long unacceptedCount,
        int? statusCode = null,
        string? responseBody = null,
        int attempts = 0,
        bool isTransient = false,
        Exception? innerException = null)
        : base(innerException is ProfileApiException api ? api.Reason : ProfileApiFailureReason.Unexpected, message, statusCode, responseBody, attempts, isTransient, innerException)
    {
        BulkUploadResult.ValidatePartial(partialResult, firstUnacceptedIndex, unacceptedCount);
        PartialResult = partialResult;
        FirstUnacceptedIndex = firstUnacceptedIndex;
        UnacceptedCount = unacceptedCount;
    }

    /// <summary>Gets the accepted batches and the rows rejected before <see cref="FirstUnacceptedIndex"/>;
    /// its <see cref="BulkUploadResult.Submitted"/> equals <see cref="FirstUnacceptedIndex"/>.</summary>
    public BulkUploadResult PartialResult { get; }

    /// <summary>Gets the source index of the first row that was not accepted; resume the upload from here.</summary>
    public long FirstUnacceptedIndex { get; }

    /// <summary>Gets how many rows from <see cref="FirstUnacceptedIndex"/> on had been read from the source (the refused
    /// batch, any rows read after it); rows after those were never read.</summary>
    public long UnacceptedCount { get; }
}
