using System;
using System.Threading;

namespace TargetProfileUpdate;

/// <summary>
/// A batch was canceled by the caller. Derived from <see cref="OperationCanceledException"/>, so cancellation
/// behaves as .NET callers expect; <see cref="PartialResult"/> accounts for every update taken from the source.
/// </summary>
public sealed class ProfileBatchCanceledException : OperationCanceledException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="partialResult">What happened before the cancellation.</param>
    /// <param name="cancellationToken">The token that was canceled.</param>
    public ProfileBatchCanceledException(ProfileBatchResult partialResult, CancellationToken cancellationToken)
        : base("The profile update batch was canceled; PartialResult accounts for every update taken from the source.", cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(partialResult);
        PartialResult = partialResult;
    }

    /// <summary>Gets what happened before the cancellation.</summary>
    public ProfileBatchResult PartialResult { get; }
}
