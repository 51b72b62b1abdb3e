using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace TargetProfileUpdate.Testing;

/// <summary>
/// An in-memory <see cref="IProfileUpdateClient"/> for unit tests: it records every update in arrival order
/// (thread-safe) and answers like the real client — success by default, or the failures you script.
/// Like the real client it throws <see cref="ArgumentNullException"/> for a null update and <see cref="ArgumentException"/>
/// for an update without attributes at once, and returns a canceled task (recording nothing) for an already-canceled token.
/// A scripted <see cref="OperationCanceledException"/> ends the task canceled, as a canceled real call does.
/// </summary>
/// <example>
/// <code>
/// var fake = new FakeProfileUpdateClient();
/// fake.FailNext(1, new ProfileUpdateException("HTTP 503", 503, null, 4, isTransient: true));
/// await service.HandleAsync(contact);                       // your code, depending on IProfileUpdateClient
/// Assert.Equal("gold", fake.LatestFor(ProfileId.FromThirdPartyId("crm-1"))!.Attributes["tier"]);
/// </code>
/// </example>
public sealed class FakeProfileUpdateClient : IProfileUpdateClient
{
    private readonly object _gate = new();
    private readonly List<ProfileUpdate> _updates = [];
    private readonly List<ProfileUpdate> _attempts = [];
    private readonly Dictionary<ProfileId, Func<Exception>> _failuresById = [];
    private readonly Queue<Func<Exception>> _nextFailures = new();
    private Func<Exception>? _alwaysFailure;

    /// <summary>Gets the updates that were accepted, in arrival order (a snapshot).</summary>
    public IReadOnlyList<ProfileUpdate> Updates
    {
        get
        {
            lock (_gate)
            {
                return _updates.ToArray();
            }
        }
    }

    /// <summary>Gets every update passed to <see cref="UpdateAsync"/>, failed ones included, in arrival order (a snapshot).</summary>
    public IReadOnlyList<ProfileUpdate> Attempts
    {
        get
        {
            lock (_gate)
            {
                return _attempts.ToArray();
            }
        }
    }

    /// <summary>Gets or sets the message of the results returned. Default: <c>Request successfully submitted</c>.</summary>
    public string SuccessMessage { get; set; } = "Request successfully submitted";

    /// <inheritdoc />
    public Task<ProfileUpdateResult> UpdateAsync(ProfileUpdate update, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(update);
        if (update.Attributes.Count == 0)
        {
            throw new ArgumentException("A profile update must set at least one attribute; nothing was sent.", nameof(update));
        }

        // As the real client: usage errors above throw at once; an already-canceled token gives a canceled task,
        // and the update is neither sent nor recorded.
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<ProfileUpdateResult>(cancellationToken);
        }

        Func<Exception>? failure;
        lock (_gate)
        {
            _attempts.Add(update);
            failure = _nextFailures.Count > 0 ? _nextFailures.Dequeue()
                : _failuresById.TryGetValue(update.Id, out var byId) ? byId
                : _alwaysFailure;
            if (failure is null)
            {
                _updates.Add(update);
            }
        }

        if (failure is null)
        {
            return Task.FromResult(new ProfileUpdateResult(SuccessMessage, HttpMethod.Get, attempts: 1, requestBytes: 0));
        }

        var exception = failure();
        if (exception is OperationCanceledException canceled)
        {
            // The real client's task ends canceled, not faulted, when the update is canceled.
            var source = new TaskCompletionSource<ProfileUpdateResult>();
            source.SetCanceled(canceled.CancellationToken);
            return source.Task;
        }

        return Task.FromException<ProfileUpdateResult>(exception);
    }

    /// <summary>Makes every later call fail with <paramref name="exception"/> (until <see cref="Reset"/>).</summary>
    /// <param name="exception">The exception to throw.</param>
    /// <returns>This fake, for chaining.</returns>
    public FakeProfileUpdateClient FailAlways(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        lock (_gate)
        {
            _alwaysFailure = () => exception;
        }

        return this;
    }

    /// <summary>Makes every later update of one profile fail with <paramref name="exception"/>.</summary>
    /// <param name="id">The profile.</param>
    /// <param name="exception">The exception to throw.</param>
    /// <returns>This fake, for chaining.</returns>
    public FakeProfileUpdateClient FailFor(ProfileId id, Exception exception)
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(exception);
        lock (_gate)
        {
            _failuresById[id] = () => exception;
        }

        return this;
    }

    /// <summary>Makes the next <paramref name="count"/> calls fail with <paramref name="exception"/>, then succeed again.</summary>
    /// <param name="count">How many calls fail.</param>
    /// <param name="exception">The exception to throw.</param>
    /// <returns>This fake, for chaining.</returns>
    public FakeProfileUpdateClient FailNext(int count, Exception exception)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentNullException.ThrowIfNull(exception);
        lock (_gate)
        {
            for (int i = 0; i < count; i++)
            {
                _nextFailures.Enqueue(() => exception);
            }
        }

        return this;
    }

    /// <summary>Gets the last accepted update of a profile.</summary>
    /// <param name="id">The profile.</param>
    /// <returns>The update, or <see langword="null"/> when none was accepted.</returns>
    public ProfileUpdate? LatestFor(ProfileId id)
    {
        ArgumentNullException.ThrowIfNull(id);
        lock (_gate)
        {
            return _updates.LastOrDefault(u => u.Id == id);
        }
    }

    /// <summary>Gets every accepted update of a profile, in arrival order.</summary>
    /// <param name="id">The profile.</param>
    /// <returns>The updates.</returns>
    public IReadOnlyList<ProfileUpdate> UpdatesFor(ProfileId id)
    {
        ArgumentNullException.ThrowIfNull(id);
        lock (_gate)
        {
            return _updates.Where(u => u.Id == id).ToArray();
        }
    }

    /// <summary>Forgets every recorded update and scripted failure.</summary>
    public void Reset()
    {
        lock (_gate)
        {
            _updates.Clear();
            _attempts.Clear();
            _failuresById.Clear();
            _nextFailures.Clear();
            _alwaysFailure = null;
        }
    }
}
