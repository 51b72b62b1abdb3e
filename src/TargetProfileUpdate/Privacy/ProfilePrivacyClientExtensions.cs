using System;
using System.Threading;
using System.Threading.Tasks;

namespace TargetProfileUpdate;

/// <summary>One-person overloads over any <see cref="IProfilePrivacyClient"/> (fakes included).</summary>
public static class ProfilePrivacyClientExtensions
{
    /// <summary>Asks Privacy Service to erase one profile; see <see cref="IProfilePrivacyClient.RequestDeletionAsync"/>.</summary>
    /// <param name="client">The client.</param>
    /// <param name="id">The id.</param>
    /// <param name="regulation">The regulation, for example <see cref="PrivacyRegulation.Gdpr"/>.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The job.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ProfileApiException">The request failed.</exception>
    public static async Task<PrivacyJob> RequestDeletionAsync(this IProfilePrivacyClient client, ProfileId id, string regulation, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(id);
        var result = await client.RequestDeletionAsync([id], regulation, cancellationToken).ConfigureAwait(false);
        return Single(result);
    }

    /// <summary>Asks Privacy Service to export one profile's data; see <see cref="IProfilePrivacyClient.RequestAccessAsync"/>.</summary>
    /// <param name="client">The client.</param>
    /// <param name="id">The id.</param>
    /// <param name="regulation">The regulation, for example <see cref="PrivacyRegulation.Gdpr"/>.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The job.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ProfileApiException">The request failed.</exception>
    public static async Task<PrivacyJob> RequestAccessAsync(this IProfilePrivacyClient client, ProfileId id, string regulation, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(id);
        var result = await client.RequestAccessAsync([id], regulation, cancellationToken).ConfigureAwait(false);
        return Single(result);
    }

    private static PrivacyJob Single(PrivacyRequestResult result) => result.Jobs.Count == 1
        ? result.Jobs[0]
        : throw new ProfileApiException("Privacy Service answered one request for one person with " + result.Jobs.Count.ToString(System.Globalization.CultureInfo.InvariantCulture) + " jobs; expected one.");
}
