using System;
using System.Threading;
using System.Threading.Tasks;

namespace TargetProfileUpdate;

/// <summary>
/// Sends profile updates to Adobe Target's Single Profile Update API. This is the type to depend on
/// and to fake in your unit tests (see the <c>TargetProfileUpdate.Testing</c> package).
/// </summary>
/// <remarks>Kept to one method taking a request object, so it never has to change.</remarks>
public interface IProfileUpdateClient
{
    /// <summary>Sends one update and returns once Adobe Target has accepted (queued) it.</summary>
    /// <param name="update">The update to send; it must set at least one attribute.</param>
    /// <param name="cancellationToken">Cancels the send, including any wait between retries.</param>
    /// <returns>What the server said, the method used and the number of attempts.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="update"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The update sets no attribute. Nothing is sent.</exception>
    /// <exception cref="ProfileUpdateTooLargeException">The update does not fit the size limits. Nothing is sent.</exception>
    /// <exception cref="ProfileApiRateLimitedException">The update was refused for rate or quota reasons.</exception>
    /// <exception cref="ProfileApiException">The update was not accepted: a rejection, a timeout or a connection failure.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled.</exception>
    Task<ProfileUpdateResult> UpdateAsync(ProfileUpdate update, CancellationToken cancellationToken = default);
}
