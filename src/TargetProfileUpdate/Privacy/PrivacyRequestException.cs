using System;

namespace TargetProfileUpdate;

/// <summary>
/// A Privacy Service request failed. The requests before it succeeded: their jobs are in <see cref="PartialResult"/>, and
/// the ids from <see cref="FirstUnsentIndex"/> on (in the order given, duplicates removed) have no job. The message names no id.
/// </summary>
public sealed class PrivacyRequestException : ProfileApiException
{
    /// <summary>Creates the exception (for example in a test of your own code).</summary>
    /// <param name="message">The message; must not contain personal data.</param>
    /// <param name="partialResult">The jobs created before the failure.</param>
    /// <param name="firstUnsentIndex">The position of the first distinct id without a job.</param>
    /// <param name="statusCode">The HTTP status of the failed request, or <see langword="null"/> when none arrived.</param>
    /// <param name="attempts">How many HTTP attempts the failed request made.</param>
    /// <param name="isTransient">Whether trying again later may succeed.</param>
    /// <param name="innerException">The cause, if any.</param>
    /// <exception cref="ArgumentNullException"><paramref name="partialResult"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="firstUnsentIndex"/> is negative.</exception>
    public PrivacyRequestException(string message, PrivacyRequestResult partialResult, int firstUnsentIndex, int? statusCode, int attempts, bool isTransient, Exception? innerException = null)
        : base(message, statusCode, null, attempts, isTransient, innerException)
    {
        ArgumentNullException.ThrowIfNull(partialResult);
        ArgumentOutOfRangeException.ThrowIfNegative(firstUnsentIndex);
        PartialResult = partialResult;
        FirstUnsentIndex = firstUnsentIndex;
    }

    /// <summary>Gets the jobs created before the failure.</summary>
    public PrivacyRequestResult PartialResult { get; }

    /// <summary>Gets the position (among the distinct ids, in the order given) of the first id without a job.</summary>
    public int FirstUnsentIndex { get; }
}
