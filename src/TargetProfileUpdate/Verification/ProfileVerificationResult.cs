using System;
using System.Collections.Generic;

namespace TargetProfileUpdate;

/// <summary>
/// What a read-back found for one update (<see cref="IProfileFetchClient.VerifyAsync(ProfileUpdate, System.Threading.CancellationToken)"/>):
/// per attribute, whether it landed, is missing or was superseded; or that the profile is missing. Holds attribute names
/// (schema), never values or ids. Immutable; publicly constructible for tests of your own code.
/// </summary>
public sealed class ProfileVerificationResult
{
    /// <summary>Creates a result.</summary>
    /// <param name="profileMissing">Whether the profile does not exist.</param>
    /// <param name="attributes">Per attribute name of the update, what the profile holds (empty when the profile is missing).</param>
    /// <exception cref="ArgumentNullException"><paramref name="attributes"/> is <see langword="null"/>.</exception>
    public ProfileVerificationResult(bool profileMissing, IReadOnlyDictionary<string, AttributeVerification> attributes)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        ProfileMissing = profileMissing;
        var copy = new Dictionary<string, AttributeVerification>(attributes.Count, StringComparer.Ordinal);
        foreach (var (name, state) in attributes)
        {
            copy[name] = state;
            switch (state)
            {
                case AttributeVerification.Landed:
                    Landed++;
                    break;
                case AttributeVerification.Superseded:
                    Superseded++;
                    break;
                default:
                    Missing++;
                    break;
            }
        }

        Attributes = copy;
    }

    /// <summary>Gets whether the profile does not exist (never created by a visit, or expired).</summary>
    public bool ProfileMissing { get; }

    /// <summary>Gets, per attribute name of the update, what the profile holds.</summary>
    public IReadOnlyDictionary<string, AttributeVerification> Attributes { get; }

    /// <summary>Gets how many attributes landed.</summary>
    public int Landed { get; }

    /// <summary>Gets how many attributes are missing.</summary>
    public int Missing { get; }

    /// <summary>Gets how many attributes were superseded by a newer value.</summary>
    public int Superseded { get; }

    /// <summary>Gets the outcome of the whole update: <see cref="VerificationOutcome.ProfileMissing"/>, else
    /// <see cref="VerificationOutcome.NotLanded"/> when any attribute is missing, else <see cref="VerificationOutcome.Superseded"/>
    /// when any was superseded, else <see cref="VerificationOutcome.Landed"/>.</summary>
    public VerificationOutcome Outcome => ProfileMissing ? VerificationOutcome.ProfileMissing
        : Missing > 0 ? VerificationOutcome.NotLanded
        : Superseded > 0 ? VerificationOutcome.Superseded
        : VerificationOutcome.Landed;

    /// <summary>Compares an update with the profile read back.</summary>
    /// <param name="update">The update that was sent.</param>
    /// <param name="profile">The profile, or <see langword="null"/> when it does not exist.</param>
    /// <param name="sentAt">When the update was sent; a different value written after it counts as superseded. Without it,
    /// a different value counts as missing.</param>
    /// <returns>The result.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="update"/> is <see langword="null"/>.</exception>
    public static ProfileVerificationResult Compare(ProfileUpdate update, TargetProfile? profile, DateTimeOffset? sentAt)
    {
        ArgumentNullException.ThrowIfNull(update);
        var states = new Dictionary<string, AttributeVerification>(update.Attributes.Count, StringComparer.Ordinal);
        if (profile is null)
        {
            return new ProfileVerificationResult(true, states);
        }

        foreach (var (name, value) in update.Attributes)
        {
            states[name] = !profile.Attributes.TryGetValue(name, out var held) ? AttributeVerification.Missing
                : string.Equals(held.Value, value, StringComparison.Ordinal) ? AttributeVerification.Landed
                : sentAt is { } sent && held.ModifiedAt is { } modified && modified > sent ? AttributeVerification.Superseded
                : AttributeVerification.Missing;
        }

        return new ProfileVerificationResult(false, states);
    }
}
