using System.Threading;
using System.Threading.Tasks;

namespace TargetProfileUpdate;

/// <summary>
/// Supplies the profile API token (<c>Authorization: Bearer {token}</c>) that Adobe Target requires when "Require
/// Authentication" is on. The SDK asks before every call (implementations cache) and asks with
/// <c>forceRefresh: true</c> once after a 401 or 403, then resends that request once.
/// </summary>
/// <remarks>
/// Built in: the static token of <see cref="TargetProfileUpdateOptions.AuthorizationToken"/> (re-read when configuration
/// reloads) and the Adobe IMS flow of <see cref="TargetProfileUpdateOptions.AdobeIms"/>. Register your own with
/// <c>TargetProfileUpdateBuilder.AddTokenProvider</c>. Implementations must be thread-safe.
/// </remarks>
public interface IProfileApiTokenProvider
{
    /// <summary>Gets the token to send.</summary>
    /// <param name="forceRefresh"><see langword="true"/> after the server refused the cached token (401/403): fetch a fresh one.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The token; <see cref="ProfileApiToken.None"/> when no authentication is configured (no header is sent).</returns>
    ValueTask<ProfileApiToken> GetTokenAsync(bool forceRefresh, CancellationToken cancellationToken = default);
}
