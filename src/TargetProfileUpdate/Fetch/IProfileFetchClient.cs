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
    /// <param name="id">The profile.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The profile, or <see langword="null"/> when Target has none for the id (never created, or expired).</returns>
    /// <exception cref="System.ArgumentNullException"><paramref name="id"/> is <see langword="null"/>.</exception>
    /// <exception cref="ProfileApiAuthenticationException">The token was refused (401/403) or could not be obtained.</exception>
    /// <exception cref="ProfileApiException">The call failed (status, timeout, connection, an answer over the size cap).</exception>
    Task<TargetProfile?> GetProfileAsync(ProfileId id, CancellationToken cancellationToken = default);
}
