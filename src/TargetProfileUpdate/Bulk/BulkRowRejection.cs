using System;

namespace TargetProfileUpdate;

/// <summary>A row of a bulk upload that was not sent, and why. Rejected rows are never part of any batch.</summary>
public sealed class BulkRowRejection
{
    /// <summary>The reason of a row whose profile is on the account's <see cref="ISuppressionList"/> (erased through Privacy Service).</summary>
    public const string SuppressedReason = "The profile is on the account's suppression list (its data was erased through Privacy Service); the row was not sent.";

    /// <summary>Creates a rejection (for example in a test of your own code).</summary>
    /// <param name="index">The row's zero-based position in the source.</param>
    /// <param name="profileId">The row's profile; <see langword="null"/> when the source yielded <see langword="null"/>.</param>
    /// <param name="reason">Why it was rejected (never contains the id or attribute values).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is negative.</exception>
    /// <exception cref="ArgumentException"><paramref name="reason"/> is null, empty or white space.</exception>
    public BulkRowRejection(long index, ProfileId? profileId, string reason)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        Index = index;
        ProfileId = profileId;
        Reason = reason;
    }

    /// <summary>Gets the row's zero-based position in the source.</summary>
    public long Index { get; }

    /// <summary>Gets the row's profile; <see langword="null"/> when the source yielded <see langword="null"/>.</summary>
    public ProfileId? ProfileId { get; }

    /// <summary>Gets why the row was rejected: a fixed sentence that names no id and no value.</summary>
    public string Reason { get; }

    /// <summary>Gets whether the row was refused because its profile is on the suppression list.</summary>
    public bool IsSuppressed => string.Equals(Reason, SuppressedReason, StringComparison.Ordinal);

    /// <summary>Returns the index and the reason (the profile id hides its value).</summary>
    /// <returns>For example <c>#12 (mbox3rdPartyId:***): …</c>.</returns>
    public override string ToString() =>
        "#" + Index.ToString(System.Globalization.CultureInfo.InvariantCulture) + " (" + (ProfileId?.ToString() ?? "null") + "): " + Reason;
}
