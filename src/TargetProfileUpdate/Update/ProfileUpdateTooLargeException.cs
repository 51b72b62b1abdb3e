namespace TargetProfileUpdate;

/// <summary>
/// An update is larger than the method allows: nothing was sent. Split it into several updates of the
/// same profile, or raise the limit if your account allows more.
/// </summary>
public sealed class ProfileUpdateTooLargeException : ProfileApiException
{
    /// <summary>Creates the exception (<see cref="ProfileApiException.Reason"/> is <see cref="ProfileApiFailureReason.TooLarge"/>).</summary>
    /// <param name="message">The message; must not contain personal data.</param>
    /// <param name="actualBytes">The size of the request: the whole URL for GET, the body for POST.</param>
    /// <param name="allowedBytes">The limit it exceeded.</param>
    public ProfileUpdateTooLargeException(string message, int actualBytes, int allowedBytes)
        : base(ProfileApiFailureReason.TooLarge, message, null, null, 0, false, null)
    {
        ActualBytes = actualBytes;
        AllowedBytes = allowedBytes;
    }

    /// <summary>Gets the size of the request that was refused, in bytes.</summary>
    public int ActualBytes { get; }

    /// <summary>Gets the limit, in bytes.</summary>
    public int AllowedBytes { get; }
}
