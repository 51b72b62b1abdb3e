using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace TargetProfileUpdate;

/// <summary>
/// The profiles of one account that must not be written again (their data was erased through Privacy Service). Updates,
/// bulk rows and deferred deliveries for a listed id are refused before anything is sent. Kept as keyed hashes
/// (<see cref="ProfileIdHasher"/>), never as ids. In memory by default; shared by every instance through Redis with
/// <c>UseRedisSuppressionList</c> (package <c>TargetProfileUpdate.Redis</c>). Implementations are thread-safe.
/// </summary>
public interface ISuppressionList
{
    /// <summary>Gets whether the id is on the list.</summary>
    /// <param name="id">The profile id.</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    /// <returns><see langword="true"/> when updates for the id must be refused.</returns>
    /// <exception cref="System.ArgumentNullException"><paramref name="id"/> is <see langword="null"/>.</exception>
    ValueTask<bool> ContainsAsync(ProfileId id, CancellationToken cancellationToken = default);

    /// <summary>Adds ids to the list (an id already on it stays once).</summary>
    /// <param name="ids">The ids.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the ids are stored.</returns>
    /// <exception cref="System.ArgumentNullException"><paramref name="ids"/> or one of its items is <see langword="null"/>.</exception>
    ValueTask AddAsync(IEnumerable<ProfileId> ids, CancellationToken cancellationToken = default);

    /// <summary>Removes an id from the list (for example when the person comes back and consents again).</summary>
    /// <param name="id">The id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns><see langword="true"/> when the id was on the list.</returns>
    /// <exception cref="System.ArgumentNullException"><paramref name="id"/> is <see langword="null"/>.</exception>
    ValueTask<bool> RemoveAsync(ProfileId id, CancellationToken cancellationToken = default);
}
