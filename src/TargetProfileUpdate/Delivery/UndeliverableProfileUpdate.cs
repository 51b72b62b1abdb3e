using System;

namespace TargetProfileUpdate;

/// <summary>
/// A deferred update the SDK gave up on, handed to <see cref="ProfileDeliveryOptions.OnGiveUp"/> (for example to write it to
/// a dead-letter table). Immutable; publicly constructible for tests of your own sink.
/// </summary>
public sealed class UndeliverableProfileUpdate
{
    /// <summary>Creates the record.</summary>
    /// <param name="accountName">The account's registration name (empty for the default account).</param>
    /// <param name="pending">The pending update.</param>
    /// <param name="reason">Why it was given up.</param>
    /// <param name="exception">The last send failure, for <see cref="UndeliverableReason.SendFailed"/>; the <see cref="ProfileSuppressedException"/>, for <see cref="UndeliverableReason.Suppressed"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="accountName"/> or <paramref name="pending"/> is <see langword="null"/>.</exception>
    public UndeliverableProfileUpdate(string accountName, PendingProfileUpdate pending, UndeliverableReason reason, Exception? exception = null)
    {
        ArgumentNullException.ThrowIfNull(accountName);
        ArgumentNullException.ThrowIfNull(pending);
        AccountName = accountName;
        Pending = pending;
        Reason = reason;
        Exception = exception;
    }

    /// <summary>Gets the account's registration name (empty for the default account).</summary>
    public string AccountName { get; }

    /// <summary>Gets the pending update: the update itself and when it was deferred.</summary>
    public PendingProfileUpdate Pending { get; }

    /// <summary>Gets the update that was not delivered.</summary>
    public ProfileUpdate Update => Pending.Update;

    /// <summary>Gets why it was given up.</summary>
    public UndeliverableReason Reason { get; }

    /// <summary>Gets the last send failure, for <see cref="UndeliverableReason.SendFailed"/>; the <see cref="ProfileSuppressedException"/>, for <see cref="UndeliverableReason.Suppressed"/>; otherwise <see langword="null"/>.</summary>
    public Exception? Exception { get; }
}
