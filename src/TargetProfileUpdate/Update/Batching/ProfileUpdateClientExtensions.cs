using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using TargetProfileUpdate.Update.Batching;

namespace TargetProfileUpdate;

// RS0026: the two overloads differ in their source type (sync or async), never only in optional parameters,
// so a call can never bind differently when an optional parameter is added to one of them.
#pragma warning disable RS0026

/// <summary>Sends many updates through any <see cref="IProfileUpdateClient"/> (fakes included).</summary>
public static class ProfileUpdateClientExtensions
{
    /// <summary>
    /// Sends every update the source yields with bounded concurrency, streaming: memory stays flat however many
    /// updates there are. A failed update is reported in the result, never dropped: <c>Accepted + Deferred + Failed + NotSent == Submitted</c>.
    /// </summary>
    /// <param name="client">The client.</param>
    /// <param name="updates">The updates; enumerated once, lazily.</param>
    /// <param name="options">Concurrency, stop-on-failure and progress; defaults when <see langword="null"/>.</param>
    /// <param name="cancellationToken">Stops taking updates and cancels those in flight.</param>
    /// <returns>How the batch ended.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="client"/> or <paramref name="updates"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    /// <exception cref="ProfileBatchCanceledException">The token was canceled; its <c>PartialResult</c> accounts for every update taken.</exception>
    /// <exception cref="ProfileBatchException">The source or the progress callback threw; its <c>PartialResult</c> accounts for every update taken and its inner exception is the cause.</exception>
    public static Task<ProfileBatchResult> UpdateManyAsync(this IProfileUpdateClient client, IEnumerable<ProfileUpdate> updates, ProfileBatchOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(updates);
        return new BatchRunner(client, options).RunAsync(updates, cancellationToken);
    }

    /// <summary>
    /// Sends every update an asynchronous source yields (a queue, a database cursor) with bounded concurrency, streaming.
    /// A failed update is reported in the result, never dropped: <c>Accepted + Deferred + Failed + NotSent == Submitted</c>.
    /// </summary>
    /// <param name="client">The client.</param>
    /// <param name="updates">The updates; enumerated once, lazily.</param>
    /// <param name="options">Concurrency, stop-on-failure and progress; defaults when <see langword="null"/>.</param>
    /// <param name="cancellationToken">Stops taking updates and cancels those in flight.</param>
    /// <returns>How the batch ended.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="client"/> or <paramref name="updates"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    /// <exception cref="ProfileBatchCanceledException">The token was canceled; its <c>PartialResult</c> accounts for every update taken.</exception>
    /// <exception cref="ProfileBatchException">The source or the progress callback threw; its <c>PartialResult</c> accounts for every update taken and its inner exception is the cause.</exception>
    public static Task<ProfileBatchResult> UpdateManyAsync(this IProfileUpdateClient client, IAsyncEnumerable<ProfileUpdate> updates, ProfileBatchOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(updates);
        return new BatchRunner(client, options).RunAsync(updates, cancellationToken);
    }
}

#pragma warning restore RS0026
