using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Options;

namespace TargetProfileUpdate.Authentication;

/// <summary>
/// The token of <see cref="TargetProfileUpdateOptions.AuthorizationToken"/>, read from the account's named options on
/// every call, so a value changed in configuration (a reload) is used by the next request without a restart.
/// </summary>
internal sealed class StaticTokenProvider(IOptionsMonitor<TargetProfileUpdateOptions> options, string name) : IProfileApiTokenProvider
{
    public ValueTask<ProfileApiToken> GetTokenAsync(bool forceRefresh, CancellationToken cancellationToken = default) =>
        new(new ProfileApiToken(options.Get(name).AuthorizationToken));
}
