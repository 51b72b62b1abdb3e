using System.Threading;
using System.Threading.Tasks;

namespace TargetProfileUpdate.Authentication;

/// <summary>Hands out the account's IMS access token (not the profile token) to the sender of an Adobe API called with it directly.</summary>
internal sealed class ImsAccessTokenProvider(AdobeImsTokenProvider ims) : IProfileApiTokenProvider
{
    public ValueTask<ProfileApiToken> GetTokenAsync(bool forceRefresh, CancellationToken cancellationToken = default) =>
        ims.GetImsAccessTokenAsync(forceRefresh, cancellationToken);
}
