using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;

namespace TargetProfileUpdate.Update.Batching;

/// <summary>
/// Runs a batch on <see cref="Parallel.ForEachAsync{TSource}(IAsyncEnumerable{TSource}, ParallelOptions, Func{TSource, CancellationToken, ValueTask})"/>:
/// at most <c>MaxConcurrency</c> updates in flight, taken lazily from the source (only those in flight are held, so memory
/// is flat in the size of the source), each one's outcome counted. <c>Accepted + Deferred + Failed + NotSent == Submitted</c> holds on
/// every exit: completion, cancellation (<see cref="ProfileBatchCanceledException"/>) and a throwing source or progress
/// callback (<see cref="ProfileBatchException"/>).
/// </summary>
internal sealed class BatchRunner
{
    /// <summary>The longest single wait for an open breaker before the update is tried again (and waits again if still open).</summary>
    private static readonly TimeSpan MaxCircuitWait = TimeSpan.FromMinutes(1);

    private readonly IProfileUpdateClient _client;
    private readonly ProfileBatchOptions _options;
    private readonly ConcurrentQueue<ProfileUpdateFailure> _failures = new();
    private readonly ConcurrentQueue<long> _notSent = new();
    private long _submitted;
    private long _accepted;
    private long _deferred;
    private long _failed;
    private long _completed;

    public BatchRunner(IProfileUpdateClient client, ProfileBatchOptions? options)
    {
        _client = client;
        _options = options ?? new ProfileBatchOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(_options.MaxConcurrency, 1, "options.MaxConcurrency");
        ArgumentOutOfRangeException.ThrowIfGreaterThan(_options.MaxConcurrency, 1024, "options.MaxConcurrency");
        ArgumentOutOfRangeException.ThrowIfLessThan(_options.ProgressInterval, 1, "options.ProgressInterval");
        ArgumentNullException.ThrowIfNull(_options.TimeProvider, "options.TimeProvider");
    }

    public Task<ProfileBatchResult> RunAsync(IEnumerable<ProfileUpdate> updates, CancellationToken cancellationToken) =>
        RunAsync((stop, parallel) => Parallel.ForEachAsync(Number(updates, stop.Token, cancellationToken), parallel, (item, _) => SendAsync(item.Index, item.Update, stop, cancellationToken)), cancellationToken);

    public Task<ProfileBatchResult> RunAsync(IAsyncEnumerable<ProfileUpdate> updates, CancellationToken cancellationToken) =>
        RunAsync((stop, parallel) => Parallel.ForEachAsync(Number(updates, stop.Token, cancellationToken), parallel, (item, _) => SendAsync(item.Index, item.Update, stop, cancellationToken)), cancellationToken);

    private async Task<ProfileBatchResult> RunAsync(Func<CancellationTokenSource, ParallelOptions, Task> loop, CancellationToken cancellationToken)
    {
        // The loop's token stops taking updates (cancellation, or StopOnFirstFailure); updates in flight keep the caller's token.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = _options.MaxConcurrency, CancellationToken = stop.Token };
        Exception? fault = null;
        try
        {
            await loop(stop, parallel).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Canceled by the caller or stopped after a failure: accounted below.
        }
        catch (Exception ex)
        {
            fault = ex;
        }

        var result = Snapshot();
        if (fault is null)
        {
            try
            {
                _options.Progress?.Report(new ProfileBatchProgress(result.Submitted, result.Accepted, result.Failed));
            }
            catch (Exception ex)
            {
                fault = ex;
            }
        }

        if (fault is not null)
        {
            throw new ProfileBatchException(result, fault);
        }

        if (cancellationToken.IsCancellationRequested)
        {
            throw new ProfileBatchCanceledException(result, cancellationToken);
        }

        return result;
    }

    private ProfileBatchResult Snapshot() => new(
        Interlocked.Read(ref _submitted),
        Interlocked.Read(ref _accepted),
        Interlocked.Read(ref _deferred),
        _failures.OrderBy(f => f.Index).ToList(),
        _notSent.Order().ToList());

    /// <summary>Numbers the source in its order and stops taking from it once the batch is stopped
    /// (<see cref="Parallel.ForEachAsync{TSource}(IEnumerable{TSource}, ParallelOptions, Func{TSource, CancellationToken, ValueTask})"/>
    /// would otherwise keep draining the source when its bodies complete normally after a cancellation).</summary>
    /// <remarks>The caller's token is checked as well as the stop token: a cancellation runs the in-flight bodies'
    /// continuations inline before the linked stop token is canceled, and they would take more updates meanwhile.</remarks>
    private static IEnumerable<(long Index, ProfileUpdate Update)> Number(IEnumerable<ProfileUpdate> updates, CancellationToken stop, CancellationToken caller)
    {
        long index = 0;
        foreach (var update in updates)
        {
            yield return (index++, update);
            if (stop.IsCancellationRequested || caller.IsCancellationRequested)
            {
                yield break;
            }
        }
    }

    private static async IAsyncEnumerable<(long Index, ProfileUpdate Update)> Number(IAsyncEnumerable<ProfileUpdate> updates, CancellationToken stop, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        long index = 0;
        await foreach (var update in updates.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            yield return (index++, update);
            if (stop.IsCancellationRequested || cancellationToken.IsCancellationRequested)
            {
                yield break;
            }
        }
    }

    private async ValueTask SendAsync(long index, ProfileUpdate? update, CancellationTokenSource stop, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _submitted);
        while (true)
        {
            try
            {
                var result = await _client.UpdateAsync(update!, cancellationToken).ConfigureAwait(false);
                Interlocked.Increment(ref result?.Delivery == ProfileUpdateDelivery.Deferred ? ref _deferred : ref _accepted);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                _notSent.Enqueue(index);
            }
            catch (Exception ex) when (NotSentBecauseCircuitOpen(ex, out var reopensIn))
            {
                // Never on the wire: not a failure. Wait for the breaker's next trial and try again, or count it as not sent.
                if (_options.WaitWhileCircuitOpen && await WaitAsync(reopensIn, cancellationToken).ConfigureAwait(false))
                {
                    continue;
                }

                _notSent.Enqueue(index);
            }
            catch (Exception ex)
            {
                _failures.Enqueue(new ProfileUpdateFailure(index, update?.Id, ex));
                Interlocked.Increment(ref _failed);
                if (_options.StopOnFirstFailure)
                {
                    await stop.CancelAsync().ConfigureAwait(false);
                }
            }

            break;
        }

        long completed = Interlocked.Increment(ref _completed);
        if (_options.Progress is { } progress && completed % _options.ProgressInterval == 0)
        {
            // A throwing callback ends the loop; the update itself is already counted.
            progress.Report(new ProfileBatchProgress(Interlocked.Read(ref _submitted), Interlocked.Read(ref _accepted), Interlocked.Read(ref _failed)));
        }
    }

    /// <summary>Whether the update was refused by the open circuit breaker before any attempt went on the wire, and for
    /// how long the breaker said it stays open.</summary>
    internal static bool NotSentBecauseCircuitOpen(Exception exception, out TimeSpan? reopensIn)
    {
        if (exception is ProfileApiException { Attempts: 0, InnerException: Polly.CircuitBreaker.BrokenCircuitException broken })
        {
            reopensIn = broken.RetryAfter;
            return true;
        }

        reopensIn = null;
        return false;
    }

    /// <summary>Waits until the breaker's next trial; <see langword="false"/> when the batch was canceled meanwhile.</summary>
    private async Task<bool> WaitAsync(TimeSpan? reopensIn, CancellationToken cancellationToken)
    {
        var wait = reopensIn is { } r && r > TimeSpan.Zero ? r : TimeSpan.FromMilliseconds(500);
        if (wait > MaxCircuitWait)
        {
            wait = MaxCircuitWait;
        }

        try
        {
            await Task.Delay(wait, _options.TimeProvider, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }
}
