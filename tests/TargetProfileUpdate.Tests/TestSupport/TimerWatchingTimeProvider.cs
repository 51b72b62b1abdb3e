using Microsoft.Extensions.Time.Testing;

namespace TargetProfileUpdate.Tests.TestSupport;

/// <summary>
/// A <see cref="FakeTimeProvider"/> that tells the test when the code under test registers a timer (<c>Task.Delay</c>,
/// a timed <see cref="CancellationTokenSource"/>, Polly's delays) and counts the timer callbacks that have run: the
/// events to await instead of a real sleep, before acting on a wait that must have begun
/// (<see cref="TestClients.WaitForTimerAsync"/>) or before moving the clock on (<see cref="TestClients.AdvanceUntilAsync"/>).
/// </summary>
public sealed class TimerWatchingTimeProvider : FakeTimeProvider
{
    private readonly List<(Func<TimeSpan, bool> Due, TaskCompletionSource Registered)> _watchers = [];
    private long _created;
    private long _fired;

    public TimerWatchingTimeProvider()
    {
    }

    public TimerWatchingTimeProvider(DateTimeOffset startDateTime)
        : base(startDateTime)
    {
    }

    /// <summary>The timers created so far.</summary>
    public long Created => Interlocked.Read(ref _created);

    /// <summary>The timer callbacks run so far.</summary>
    public long Fired => Interlocked.Read(ref _fired);

    /// <summary>Completes when a timer whose due time <paramref name="due"/> accepts is created from now on.</summary>
    public Task TimerCreated(Func<TimeSpan, bool> due)
    {
        var registered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_watchers)
        {
            _watchers.Add((due, registered));
        }

        return registered.Task;
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        ITimer timer = base.CreateTimer(
            s =>
            {
                Interlocked.Increment(ref _fired);
                callback(s);
            },
            state,
            dueTime,
            period);
        Interlocked.Increment(ref _created);
        lock (_watchers)
        {
            for (int i = _watchers.Count - 1; i >= 0; i--)
            {
                if (_watchers[i].Due(dueTime))
                {
                    _watchers[i].Registered.TrySetResult();
                    _watchers.RemoveAt(i);
                }
            }
        }

        return timer;
    }
}
