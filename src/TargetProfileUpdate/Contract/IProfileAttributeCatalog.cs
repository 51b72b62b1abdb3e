using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace TargetProfileUpdate;

/// <summary>
/// The profile attribute names the tenant already knows, as Adobe Target's Admin API lists them
/// (<c>GET https://mc.adobe.io/{tenant}/target/profileattributes/mbox</c>). Give them to a
/// <see cref="ProfileAttributeLinter"/> to flag names no audience reads yet, with the closest known name.
/// </summary>
public interface IProfileAttributeCatalog
{
    /// <summary>Gets the tenant's profile attribute names (case-sensitive, without the <c>profile.</c> prefix).</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The names, compared ordinally.</returns>
    /// <exception cref="ProfileApiException">The Admin API could not be reached or refused the call.</exception>
    Task<IReadOnlySet<string>> GetAttributeNamesAsync(CancellationToken cancellationToken = default);
}
