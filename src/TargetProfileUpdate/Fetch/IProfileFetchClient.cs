using System.Threading;
using System.Threading.Tasks;

namespace TargetProfileUpdate;

/// <summary>
/// Reads a visitor profile back from Adobe Target's Profile Fetch API. Registered by <c>AddTargetProfileUpdate</c>
/// next to <see cref="IProfileUpdateClient"/>. An update is usually visible within an hour, at most 24 hours.
/// </summary>
public interface IProfileFetchClient
{
    /// <summary>Gets a profile by PC id (<c>tntId</c>), third-party id or ECID.</summary>
    /// <remarks>
    /// A 200 answer is read as a profile only when it is one: it carries a visitor id (<c>visitorId</c>, <c>mboxPC</c> or
    /// <c>thirdPartyId</c>) or <c>profileAttributes</c>. Adobe's not-found body (<c>{"status":404,…}</c>) sent with a 200
    /// returns <see langword="null"/>, as a 404 does; <c>{}</c> or another error object is an
    /// <see cref="ProfileApiFailureReason.UnexpectedAnswer"/> failure. Every attribute must have a string, number or
    /// boolean value: an object, an array, null or a missing value refuses the whole answer (never a profile with an
    /// attribute silently left out). A UTF-8 byte order mark before the JSON is accepted.
    /// </remarks>
    /// <param name="id">The profile.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The profile, or <see langword="null"/> when Target has none for the id (never created, or expired).</returns>
    /// <exception cref="System.ArgumentNullException"><paramref name="id"/> is <see langword="null"/>.</exception>
    /// <exception cref="ProfileApiAuthenticationException">The token was refused (401/403) or could not be obtained.</exception>
    /// <exception cref="ProfileApiException">The call failed (status, timeout, connection, an answer over the size cap), or
    /// the answer was not a profile or held an attribute value that is not a string, number or boolean
    /// (<see cref="ProfileApiException.Reason"/> <see cref="ProfileApiFailureReason.UnexpectedAnswer"/>).</exception>
    Task<TargetProfile?> GetProfileAsync(ProfileId id, CancellationToken cancellationToken = default);

    /// <summary>
    /// Reads the update's profile back and says, per attribute, whether the value landed, is missing, or was superseded by
    /// another writer; or that the profile is missing. Without the send time a different value counts as missing: use the
    /// overload with <c>sentAt</c> to tell superseded values apart. Adobe applies most updates within an hour, some within 24.
    /// </summary>
    /// <param name="update">The update that was sent.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>What the profile holds.</returns>
    /// <exception cref="System.ArgumentNullException"><paramref name="update"/> is <see langword="null"/>.</exception>
    /// <exception cref="ProfileApiException">The fetch failed.</exception>
#pragma warning disable RS0027 // VerifyAsync(update) is the contract; sentAt is a separate overload, never an optional parameter, so no call changes binding.
    Task<ProfileVerificationResult> VerifyAsync(ProfileUpdate update, CancellationToken cancellationToken = default) =>
        VerifyAsync(update, null, cancellationToken);
#pragma warning restore RS0027

    /// <summary>
    /// Reads the update's profile back and says, per attribute, whether the value landed, is missing, or holds another
    /// value written after <paramref name="sentAt"/> (superseded); or that the profile is missing.
    /// </summary>
    /// <param name="update">The update that was sent.</param>
    /// <param name="sentAt">When it was sent, or <see langword="null"/> when unknown (a different value then counts as missing).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>What the profile holds.</returns>
    /// <exception cref="System.ArgumentNullException"><paramref name="update"/> is <see langword="null"/>.</exception>
    /// <exception cref="ProfileApiException">The fetch failed.</exception>
    async Task<ProfileVerificationResult> VerifyAsync(ProfileUpdate update, System.DateTimeOffset? sentAt, CancellationToken cancellationToken)
    {
        System.ArgumentNullException.ThrowIfNull(update);
        var profile = await GetProfileAsync(update.Id, cancellationToken).ConfigureAwait(false);
        return ProfileVerificationResult.Compare(update, profile, sentAt);
    }
}
