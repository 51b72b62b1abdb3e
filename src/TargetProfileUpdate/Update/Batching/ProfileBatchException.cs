using System;

namespace TargetProfileUpdate;

/// <summary>
/// A batch stopped because its source or its progress callback threw. <see cref="PartialResult"/> accounts for every
/// update taken from the source before that (so the caller knows which went out); the cause is the inner exception.
/// Cancellation is reported as <see cref="ProfileBatchCanceledException"/> instead.
/// </summary>
public sealed class ProfileBatchException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="partialResult">What happened before the batch stopped.</param>
    /// <param name="innerException">What stopped it: the source's or the progress callback's exception.</param>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public ProfileBatchException(ProfileBatchResult partialResult, Exception innerException)
        : base("The profile update batch stopped because its source or its progress callback threw; PartialResult accounts for every update taken, and InnerException is the cause.", innerException ?? throw new ArgumentNullException(nameof(innerException)))
    {
        ArgumentNullException.ThrowIfNull(partialResult);
        PartialResult = partialResult;
    }

    /// <summary>Gets what happened before the batch stopped.</summary>
    public ProfileBatchResult PartialResult { get; }
}
