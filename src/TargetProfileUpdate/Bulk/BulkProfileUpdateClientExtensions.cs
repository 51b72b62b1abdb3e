using System;
using System.Collections.Generic;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;

namespace TargetProfileUpdate;

/// <summary>Convenience methods over any <see cref="IBulkProfileUpdateClient"/> (fakes included).</summary>
public static class BulkProfileUpdateClientExtensions
{
    /// <summary>The default interval between two status polls: 30 seconds.</summary>
    internal static readonly TimeSpan DefaultPollInterval = TimeSpan.FromSeconds(30);

    /// <summary>The shortest poll interval accepted: 1 second (status polls count against Target's 50 calls per minute).</summary>
    public static readonly TimeSpan MinPollInterval = TimeSpan.FromSeconds(1);

    /// <summary>Uploads the updates of a synchronous source (a list, a file reader), streaming; see
    /// <see cref="IBulkProfileUpdateClient.UploadAsync"/>.</summary>
    /// <param name="client">The client.</param>
    /// <param name="updates">The updates; enumerated once, lazily.</param>
    /// <param name="options">API version, limits and progress; defaults when <see langword="null"/>.</param>
    /// <param name="cancellationToken">Stops reading the source and cancels the request in flight.</param>
    /// <returns>The accepted batches and the rejected rows.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="client"/> or <paramref name="updates"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    /// <exception cref="BulkUploadException">A batch was finally refused.</exception>
    /// <exception cref="BulkUploadCanceledException">The token was canceled.</exception>
    public static Task<BulkUploadResult> UploadAsync(this IBulkProfileUpdateClient client, IEnumerable<ProfileUpdate> updates, BulkUploadOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(updates);
        return client.UploadAsync(ToAsync(updates, cancellationToken), options, cancellationToken);
    }

    /// <summary>
    /// Polls the batch's status every <paramref name="pollInterval"/> until it is <see cref="BulkBatchState.Complete"/>
    /// or <see cref="BulkBatchState.Stuck"/>, and returns that status. <see cref="BulkBatchState.Incomplete"/> and
    /// <see cref="BulkBatchState.Unknown"/> keep polling; bound the wait with <paramref name="cancellationToken"/>.
    /// </summary>
    /// <param name="client">The client.</param>
    /// <param name="batch">A batch from <see cref="BulkUploadResult.Batches"/>.</param>
    /// <param name="pollInterval">Time between two polls (at least 1 second); default 30 seconds. Each poll counts against
    /// Target's 50 calls per minute.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>The final status: <see cref="BulkBatchState.Complete"/> or <see cref="BulkBatchState.Stuck"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="client"/> or <paramref name="batch"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="pollInterval"/> is shorter than 1 second.</exception>
    /// <exception cref="ProfileApiException">A status request failed.</exception>
    /// <exception cref="OperationCanceledException">The token was canceled.</exception>
    public static Task<BulkBatchStatus> WaitForCompletionAsync(this IBulkProfileUpdateClient client, BulkBatch batch, TimeSpan? pollInterval = null, CancellationToken cancellationToken = default) =>
        WaitForCompletionAsync(client, batch, pollInterval, TimeProvider.System, cancellationToken);

    /// <summary>As the public overload, on a given clock (tests use a fake one).</summary>
    internal static Task<BulkBatchStatus> WaitForCompletionAsync(IBulkProfileUpdateClient client, BulkBatch batch, TimeSpan? pollInterval, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(timeProvider);
        TimeSpan interval = pollInterval ?? DefaultPollInterval;
        if (interval < MinPollInterval)
        {
            throw new ArgumentOutOfRangeException(
                nameof(pollInterval),
                string.Create(CultureInfo.InvariantCulture, $"The poll interval must be at least {MinPollInterval.TotalSeconds} second (status polls count against Target's 50 calls per minute); it is {interval}."));
        }

        return PollAsync(client, batch, interval, timeProvider, cancellationToken);
    }

    private static async Task<BulkBatchStatus> PollAsync(IBulkProfileUpdateClient client, BulkBatch batch, TimeSpan interval, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        while (true)
        {
            var status = await client.GetStatusAsync(batch, cancellationToken).ConfigureAwait(false);
            if (status.State is BulkBatchState.Complete or BulkBatchState.Stuck)
            {
                return status;
            }

            await Task.Delay(interval, timeProvider, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async IAsyncEnumerable<ProfileUpdate> ToAsync(IEnumerable<ProfileUpdate> updates, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var update in updates)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return update;
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }
}
