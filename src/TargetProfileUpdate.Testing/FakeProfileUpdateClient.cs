using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging.Abstractions;

namespace TargetProfileUpdate.Testing;

/// <summary>
/// An in-memory <see cref="IProfileUpdateClient"/> and <see cref="IProfileFetchClient"/> for unit tests: it records every
/// update in arrival order (thread-safe), keeps the profiles you <see cref="Seed">seed</see> merged with the updates it
/// accepted, and answers like the real clients — success by default, or the failures you script.
/// </summary>
/// <remarks>
/// <para>
/// It is held to the real client's rules: an update is sized by the same code as <see cref="ProfileUpdateClient"/>, so one
/// that fits neither <see cref="TargetProfileUpdateOptions.MaxGetRequestBytes"/> nor
/// <see cref="TargetProfileUpdateOptions.MaxPostRequestBytes"/> ends with the same <see cref="ProfileUpdateTooLargeException"/>
/// (and is not recorded: nothing would have been sent), and each result and record carries the method and bytes the real
/// client would use. Each update is recorded as an immutable <see cref="RecordedProfileUpdate"/>: changing the caller's
/// <see cref="ProfileUpdate"/> afterwards does not change what was "sent".
/// </para>
/// <para>
/// Like the real clients it throws <see cref="ArgumentNullException"/> for a null update or id and <see cref="ArgumentException"/>
/// for an update without attributes at once, and returns a canceled task (recording nothing) for an already-canceled token.
/// A scripted <see cref="OperationCanceledException"/> ends the task canceled, as a canceled real call does.
/// </para>
/// <para>
/// By default every accepted update creates or merges into its profile, so a fetch sees it at once. Set
/// <see cref="UpdateOnly"/> for the real Single Profile Update API's rule: an update to a profile that does not exist is
/// answered as a success and silently dropped (listed in <see cref="DroppedUpdates"/>). The fake has no propagation delay.
/// </para>
/// <para>
/// Each <see cref="ProfileId"/> is its own profile: the fake does not link a third-party id to a PC id or an ECID.
/// Seed a profile under an ECID (<see cref="ProfileId.FromMarketingCloudVisitorId"/>) to fetch it by ECID; updates by
/// ECID cannot be built at all (<see cref="ProfileUpdate"/> refuses the id, as the API does).
/// </para>
/// </remarks>
/// <example>
/// <code>
/// var customer = ProfileId.FromThirdPartyId("crm-1");
/// var fake = new FakeProfileUpdateClient { UpdateOnly = true }
///     .Seed(customer, new Dictionary&lt;string, string&gt; { ["since"] = "2019" });
/// await service.HandleAsync(contact);                       // your code, taking IProfileUpdateClient and IProfileFetchClient
/// Assert.Equal("gold", fake.LatestFor(customer)!.Attributes["tier"]);
/// Assert.Equal("gold", (await fake.GetProfileAsync(customer))!.Attributes["tier"].Value);
/// </code>
/// </example>
public sealed class FakeProfileUpdateClient : IProfileUpdateClient, IProfileFetchClient, IProfileAttributeCatalog
{
    /// <summary>The client code of a fake created without options: <c>demo</c>.</summary>
    public const string DefaultClientCode = "demo";

    private readonly object _gate = new();
    private readonly TimeProvider? _timeProvider;
    private readonly string _updateUrl;
    private readonly ProfileUpdateMethod _method;
    private readonly int _maxGetBytes;
    private readonly int _maxPostBytes;
    private readonly List<RecordedProfileUpdate> _updates = [];
    private readonly List<RecordedProfileUpdate> _attempts = [];
    private readonly List<RecordedProfileUpdate> _dropped = [];
    private readonly List<ProfileId> _fetches = [];
    private readonly Dictionary<ProfileId, StoredProfile> _profiles = [];
    private readonly HashSet<string> _catalogNames = new(StringComparer.Ordinal);
    private readonly Dictionary<ProfileId, Func<Exception>> _failuresById = [];
    private readonly Queue<Func<Exception>> _nextFailures = new();
    private readonly Queue<Func<Exception>> _nextFetchFailures = new();
    private Func<Exception>? _alwaysFailure;
    private bool _updateOnly;

    /// <summary>
    /// Creates a fake with the real client's default size rules (<see cref="ProfileUpdateMethod.Auto"/>, an 8,000-byte
    /// URL for GET, a 60,000-byte body for POST) for the client code <see cref="DefaultClientCode"/> at Adobe's edge.
    /// Fetched attributes carry no <see cref="ProfileAttribute.ModifiedAt"/>.
    /// </summary>
    public FakeProfileUpdateClient()
        : this(new TargetProfileUpdateOptions { ClientCode = DefaultClientCode }, null)
    {
    }

    /// <summary>
    /// Creates a fake that sizes updates exactly as a real client with <paramref name="options"/> would: the same URL
    /// (<see cref="TargetProfileUpdateOptions.ClientCode"/>, <see cref="TargetProfileUpdateOptions.BaseAddress"/>), the same
    /// <see cref="TargetProfileUpdateOptions.Method"/> and the same limits. Nothing else of the options is used.
    /// </summary>
    /// <param name="options">Your client's options (read now; later changes are not seen).</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><see cref="TargetProfileUpdateOptions.ClientCode"/> is empty.</exception>
    public FakeProfileUpdateClient(TargetProfileUpdateOptions options)
        : this(options, null)
    {
    }

    /// <summary>
    /// Creates a fake that stamps seeded and updated attributes (and the profile) with <paramref name="timeProvider"/>'s
    /// current time, for example a <c>FakeTimeProvider</c>.
    /// </summary>
    /// <param name="timeProvider">The clock read when a profile is seeded or an update is applied.</param>
    /// <exception cref="ArgumentNullException"><paramref name="timeProvider"/> is <see langword="null"/>.</exception>
    public FakeProfileUpdateClient(TimeProvider timeProvider)
        : this(new TargetProfileUpdateOptions { ClientCode = DefaultClientCode }, timeProvider ?? throw new ArgumentNullException(nameof(timeProvider)))
    {
    }

    /// <summary>
    /// Creates a fake that sizes updates as a real client with <paramref name="options"/> would (see
    /// <see cref="FakeProfileUpdateClient(TargetProfileUpdateOptions)"/>) and stamps seeded and updated attributes with
    /// <paramref name="timeProvider"/>'s current time.
    /// </summary>
    /// <param name="options">Your client's options (read now).</param>
    /// <param name="timeProvider">The clock read when a profile is seeded or an update is applied; <see langword="null"/> for none.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><see cref="TargetProfileUpdateOptions.ClientCode"/> is empty.</exception>
    public FakeProfileUpdateClient(TargetProfileUpdateOptions options, TimeProvider? timeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrWhiteSpace(options.ClientCode))
        {
            throw new ArgumentException("TargetProfileUpdate:ClientCode is required: the fake sizes each update's URL as the real client would.", nameof(options));
        }

        _timeProvider = timeProvider;
        _updateUrl = ProfileUpdateSizeRules.UpdateUrl(options.GetEffectiveBaseAddress(), options.ClientCode);
        _method = options.Method;
        _maxGetBytes = options.MaxGetRequestBytes;
        _maxPostBytes = options.MaxPostRequestBytes;
    }

    /// <summary>
    /// Gets or sets whether the fake follows the real API's update-only rule. Default: <see langword="false"/>, every
    /// accepted update creates its profile or merges into it.
    /// </summary>
    /// <remarks>
    /// When <see langword="true"/>, an update to a profile that was neither <see cref="Seed">seeded</see> nor created
    /// earlier is answered with a normal <see cref="ProfileUpdateResult"/>, as Adobe answers, but changes nothing: it is
    /// listed in <see cref="DroppedUpdates"/> (and <see cref="Attempts"/>), not in <see cref="Updates"/>, and a fetch of
    /// that id still returns <see langword="null"/>. Use it to test that your code checks a profile exists before updating it.
    /// </remarks>
    public bool UpdateOnly
    {
        get
        {
            lock (_gate)
            {
                return _updateOnly;
            }
        }

        set
        {
            lock (_gate)
            {
                _updateOnly = value;
            }
        }
    }

    /// <summary>Gets the updates that were accepted and applied to a profile, in arrival order (a snapshot).</summary>
    public IReadOnlyList<RecordedProfileUpdate> Updates
    {
        get
        {
            lock (_gate)
            {
                return _updates.ToArray();
            }
        }
    }

    /// <summary>
    /// Gets every update passed to <see cref="UpdateAsync"/> that the real client would have sent, failed ones included,
    /// in arrival order (a snapshot). Usage errors, already-canceled tokens and too-large updates are not attempts.
    /// </summary>
    public IReadOnlyList<RecordedProfileUpdate> Attempts
    {
        get
        {
            lock (_gate)
            {
                return _attempts.ToArray();
            }
        }
    }

    /// <summary>
    /// Gets the updates that were answered as a success but dropped because their profile does not exist (only with
    /// <see cref="UpdateOnly"/>), in arrival order (a snapshot).
    /// </summary>
    public IReadOnlyList<RecordedProfileUpdate> DroppedUpdates
    {
        get
        {
            lock (_gate)
            {
                return _dropped.ToArray();
            }
        }
    }

    /// <summary>Gets the id of every <see cref="GetProfileAsync"/> call, failed ones included, in arrival order (a snapshot).</summary>
    public IReadOnlyList<ProfileId> Fetches
    {
        get
        {
            lock (_gate)
            {
                return _fetches.ToArray();
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

        // The real client's size rules, by the real client's code: a refused update ends the task with the same
        // exception, and nothing is recorded (nothing would have been sent).
        HttpMethod method;
        int requestBytes;
        try
        {
            (method, requestBytes) = ProfileUpdateSizeRules.Choose(update, _updateUrl.Length, _method, _maxGetBytes, _maxPostBytes, NullLogger.Instance);
        }
        catch (ProfileUpdateTooLargeException tooLarge)
        {
            return Task.FromException<ProfileUpdateResult>(tooLarge);
        }

        var recorded = new RecordedProfileUpdate(update, method, requestBytes);
        Func<Exception>? failure;
        lock (_gate)
        {
            _attempts.Add(recorded);
            failure = _nextFailures.Count > 0 ? _nextFailures.Dequeue()
                : _failuresById.TryGetValue(update.Id, out var byId) ? byId
                : _alwaysFailure;
            if (failure is null)
            {
                if (_profiles.ContainsKey(update.Id) || !_updateOnly)
                {
                    Apply(recorded.Id, recorded.Attributes);
                    _updates.Add(recorded);
                }
                else
                {
                    _dropped.Add(recorded);
                }
            }
        }

        return failure is null
            ? Task.FromResult(new ProfileUpdateResult(SuccessMessage, method, attempts: 1, requestBytes: requestBytes))
            : Failed<ProfileUpdateResult>(failure());
    }

    /// <summary>
    /// Gets a profile: its seeded attributes merged with the updates applied since, each update overwriting the
    /// attributes it sets. Like the real client it throws <see cref="ArgumentNullException"/> at once for a null id and
    /// returns a canceled task (recording nothing) for an already-canceled token.
    /// </summary>
    /// <param name="id">The profile (a PC id, third-party id or ECID; compared exactly).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>
    /// A new <see cref="TargetProfile"/> with <see cref="TargetProfile.Id"/> = <paramref name="id"/> and
    /// <see cref="TargetProfile.ModifiedAt"/> = the latest attribute time (null without a <see cref="TimeProvider"/>;
    /// <see cref="TargetProfile.VisitorId"/>, <see cref="TargetProfile.ThirdPartyId"/> and <see cref="TargetProfile.PcId"/>
    /// are null), or <see langword="null"/> when the profile was never seeded or created.
    /// </returns>
    /// <exception cref="ArgumentNullException"><paramref name="id"/> is <see langword="null"/>.</exception>
    public Task<TargetProfile?> GetProfileAsync(ProfileId id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<TargetProfile?>(cancellationToken);
        }

        TargetProfile? found = null;
        Func<Exception>? failure;
        lock (_gate)
        {
            _fetches.Add(id);
            failure = _nextFetchFailures.Count > 0 ? _nextFetchFailures.Dequeue() : null;
            if (failure is null && _profiles.TryGetValue(id, out var profile))
            {
                found = new TargetProfile(id, profile.Attributes, modifiedAt: profile.ModifiedAt);
            }
        }

        return failure is null ? Task.FromResult(found) : Failed<TargetProfile?>(failure());
    }

    /// <summary>
    /// Creates a profile with <paramref name="attributes"/>, or, when it exists, sets those attributes on it (others are
    /// kept). With <see cref="UpdateOnly"/>, only seeded (or earlier created) profiles take updates.
    /// </summary>
    /// <param name="id">The profile (a PC id, third-party id or ECID).</param>
    /// <param name="attributes">The attributes by name (copied; may be empty, for a profile that just exists).</param>
    /// <returns>This fake, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="id"/> or <paramref name="attributes"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">An attribute value is <see langword="null"/>.</exception>
    public FakeProfileUpdateClient Seed(ProfileId id, IReadOnlyDictionary<string, string> attributes)
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(attributes);
        foreach (var value in attributes.Values)
        {
            if (value is null)
            {
                throw new ArgumentException("A seeded attribute value must not be null; nothing was seeded.", nameof(attributes));
            }
        }

        lock (_gate)
        {
            Apply(id, attributes);
        }

        return this;
    }

    /// <summary>Makes the next <paramref name="count"/> calls of <see cref="GetProfileAsync"/> fail with <paramref name="exception"/>, then succeed again.</summary>
    /// <param name="count">How many fetches fail.</param>
    /// <param name="exception">The exception to throw, for example a <see cref="ProfileApiException"/>.</param>
    /// <returns>This fake, for chaining.</returns>
    public FakeProfileUpdateClient FailNextFetches(int count, Exception exception)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentNullException.ThrowIfNull(exception);
        lock (_gate)
        {
            for (int i = 0; i < count; i++)
            {
                _nextFetchFailures.Enqueue(() => exception);
            }
        }

        return this;
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
    public RecordedProfileUpdate? LatestFor(ProfileId id)
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
    public IReadOnlyList<RecordedProfileUpdate> UpdatesFor(ProfileId id)
    {
        ArgumentNullException.ThrowIfNull(id);
        lock (_gate)
        {
            return _updates.Where(u => u.Id == id).ToArray();
        }
    }

    /// <summary>
    /// Forgets every recorded update, dropped update and fetch, every seeded or created profile, every name added with
    /// <see cref="AddCatalogNames"/>, and every scripted failure. <see cref="UpdateOnly"/> and <see cref="SuccessMessage"/> keep their values.
    /// </summary>
    public void Reset()
    {
        lock (_gate)
        {
            _updates.Clear();
            _attempts.Clear();
            _dropped.Clear();
            _fetches.Clear();
            _profiles.Clear();
            _catalogNames.Clear();
            _failuresById.Clear();
            _nextFailures.Clear();
            _nextFetchFailures.Clear();
            _alwaysFailure = null;
        }
    }

    /// <summary>A task that ends like a failed real call: canceled for an <see cref="OperationCanceledException"/>, else faulted.</summary>
    private static Task<T> Failed<T>(Exception exception)
    {
        if (exception is OperationCanceledException canceled)
        {
            // The real client's task ends canceled, not faulted, when the call is canceled.
            var source = new TaskCompletionSource<T>();
            source.SetCanceled(canceled.CancellationToken);
            return source.Task;
        }

        return Task.FromException<T>(exception);
    }

    /// <summary>
    /// The tenant's attribute catalog as the fake knows it, like the emulator's: every attribute name of every profile it
    /// holds (seeded, or set by an update it accepted), plus the names added with <see cref="AddCatalogNames"/>.
    /// </summary>
    /// <param name="cancellationToken">An already-canceled token gives a canceled task.</param>
    /// <returns>A snapshot of the names.</returns>
    public Task<IReadOnlySet<string>> GetAttributeNamesAsync(CancellationToken cancellationToken = default)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<IReadOnlySet<string>>(cancellationToken);
        }

        lock (_gate)
        {
            var names = new HashSet<string>(_catalogNames, StringComparer.Ordinal);
            foreach (var profile in _profiles.Values)
            {
                names.UnionWith(profile.Attributes.Keys);
            }

            return Task.FromResult<IReadOnlySet<string>>(names);
        }
    }

    /// <summary>Adds names to the catalog <see cref="GetAttributeNamesAsync"/> serves (attributes the tenant knows that no profile of the fake holds).</summary>
    /// <param name="names">The names.</param>
    /// <returns>This fake, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="names"/> is <see langword="null"/>.</exception>
    public FakeProfileUpdateClient AddCatalogNames(params string[] names)
    {
        ArgumentNullException.ThrowIfNull(names);
        lock (_gate)
        {
            _catalogNames.UnionWith(names);
        }

        return this;
    }

    /// <summary>Creates the profile if needed and sets the attributes, stamped with the clock's time. Called under the lock.</summary>
    private void Apply(ProfileId id, IEnumerable<KeyValuePair<string, string>> attributes)
    {
        if (!_profiles.TryGetValue(id, out var profile))
        {
            profile = new StoredProfile();
            _profiles.Add(id, profile);
        }

        var now = _timeProvider?.GetUtcNow();
        foreach (var (name, value) in attributes)
        {
            profile.Attributes[name] = new ProfileAttribute(value, now);
        }

        profile.ModifiedAt = now;
    }

    /// <summary>One profile the fake holds. Guarded by the fake's lock.</summary>
    private sealed class StoredProfile
    {
        public Dictionary<string, ProfileAttribute> Attributes { get; } = new(StringComparer.Ordinal);

        public DateTimeOffset? ModifiedAt { get; set; }
    }
}
