using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.ExceptionServices;
using System.Threading;
using System.Threading.Tasks;

namespace TargetProfileUpdate.Batching;

/// <summary>Where a batch takes its updates from: one at a time, each with its index, from several workers.</summary>
internal interface IBatchSource : IAsyncDisposable
{
    /// <summary>Takes the next update; false at the end. Thread-safe.</summary>
    ValueTask<(bool Has, ProfileUpdate? Update)> NextAsync(CancellationToken cancellationToken);
}

/// <summary>
/// Runs a batch: <c>MaxConcurrency</c> workers each take one update, send it, record how it ended, and take the next.
/// Only the updates in flight are held, so memory is flat in the size of the source; failures are kept for the result.
/// </summary>
internal sealed class BatchRunner
{
    private readonly IProfileUpdateClient _client;
    private readonly ProfileBatchOptions _options;
    private readonly ConcurrentQueue<ProfileUpdateFailure> _failures = new();
    private long _submitted;
    private long _accepted;
    private long _failed;
    private long _notSent;
    private long _completed;
    private volatile bool _stop;
    private ExceptionDispatchInfo? _sourceError;

    public BatchRunner(IProfileUpdateClient client, ProfileBatchOptions? options)
    {
        _client = client;
        _options = options ?? new ProfileBatchOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(_options.MaxConcurrency, 1, "options.MaxConcurrency");
        ArgumentOutOfRangeException.ThrowIfGreaterThan(_options.MaxConcurrency, 1024, "options.MaxConcurrency");
        ArgumentOutOfRangeException.ThrowIfLessThan(_options.ProgressInterval, 1, "options.ProgressInterval");
    }

    public async Task<ProfileBatchResult> RunAsync(IBatchSource source, CancellationToken cancellationToken)
    {
        await using (source.ConfigureAwait(false))
        {
            var workers = new Task[_options.MaxConcurrency];
            for (int i = 0; i < workers.Length; i++)
            {
                workers[i] = WorkAsync(source, cancellationToken);
            }

            await Task.WhenAll(workers).ConfigureAwait(false);
        }

        _sourceError?.Throw();
        var result = new ProfileBatchResult(_submitted, _accepted, _failed, _notSent, _failures.OrderBy(f => f.Index).ToList());
        _options.Progress?.Report(new ProfileBatchProgress(result.Submitted, result.Accepted, result.Failed));
        if (cancellationToken.IsCancellationRequested)
        {
            throw new ProfileBatchCanceledException(result, cancellationToken);
        }

        return result;
    }

    private async Task WorkAsync(IBatchSource source, CancellationToken cancellationToken)
    {
        await Task.Yield();
        while (!_stop && !cancellationToken.IsCancellationRequested)
        {
            ProfileUpdate? update;
            long index;
            try
            {
                // Index and count are taken together under the source's lock, so indexes follow source order.
                (bool has, update) = await source.NextAsync(cancellationToken).ConfigureAwait(false);
                if (!has)
                {
                    return;
                }

                index = Interlocked.Increment(ref _submitted) - 1;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                _sourceError ??= ExceptionDispatchInfo.Capture(ex);
                _stop = true;
                return;
            }

            await SendAsync(update, index, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task SendAsync(ProfileUpdate? update, long index, CancellationToken cancellationToken)
    {
        try
        {
            await _client.UpdateAsync(update!, cancellationToken).ConfigureAwait(false);
            Interlocked.Increment(ref _accepted);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Interlocked.Increment(ref _notSent);
        }
        catch (Exception ex)
        {
            _failures.Enqueue(new ProfileUpdateFailure(index, update?.Id, ex));
            Interlocked.Increment(ref _failed);
            if (_options.StopOnFirstFailure)
            {
                _stop = true;
            }
        }

        long completed = Interlocked.Increment(ref _completed);
        if (_options.Progress is { } progress && completed % _options.ProgressInterval == 0)
        {
            progress.Report(new ProfileBatchProgress(Interlocked.Read(ref _submitted), Interlocked.Read(ref _accepted), Interlocked.Read(ref _failed)));
        }
    }
}

/// <summary>An <see cref="IEnumerable{T}"/> shared by the workers under a lock.</summary>
internal sealed class SyncSource(IEnumerable<ProfileUpdate> updates) : IBatchSource
{
    private readonly object _gate = new();
    private IEnumerator<ProfileUpdate>? _enumerator;
    private bool _done;

    public ValueTask<(bool Has, ProfileUpdate? Update)> NextAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_done)
            {
                return new((false, null));
            }

            _enumerator ??= updates.GetEnumerator();
            if (_enumerator.MoveNext())
            {
                return new((true, _enumerator.Current));
            }

            _done = true;
            return new((false, null));
        }
    }

    public ValueTask DisposeAsync()
    {
        lock (_gate)
        {
            _enumerator?.Dispose();
            _done = true;
        }

        return default;
    }
}

/// <summary>An <see cref="IAsyncEnumerable{T}"/> shared by the workers, one <c>MoveNextAsync</c> at a time.</summary>
internal sealed class AsyncSource(IAsyncEnumerable<ProfileUpdate> updates, CancellationToken cancellationToken) : IBatchSource
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private IAsyncEnumerator<ProfileUpdate>? _enumerator;
    private bool _done;

    public async ValueTask<(bool Has, ProfileUpdate? Update)> NextAsync(CancellationToken token)
    {
        await _gate.WaitAsync(token).ConfigureAwait(false);
        try
        {
            if (_done)
            {
                return (false, null);
            }

            _enumerator ??= updates.GetAsyncEnumerator(cancellationToken);
            if (await _enumerator.MoveNextAsync().ConfigureAwait(false))
            {
                return (true, _enumerator.Current);
            }

            _done = true;
            return (false, null);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _gate.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            _done = true;
            if (_enumerator is not null)
            {
                await _enumerator.DisposeAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            _gate.Release();
            _gate.Dispose();
        }
    }
}
