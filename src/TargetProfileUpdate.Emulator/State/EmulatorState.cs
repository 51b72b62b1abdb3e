using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;

namespace TargetProfileUpdate.Emulator.State;

/// <summary>
/// Everything the emulator knows: profiles (indexed by PC id, third-party id and ECID), the requests it received,
/// the quota windows, tokens, bulk batches and the fault script. Thread-safe: each profile has its own lock;
/// indexes are concurrent.
/// </summary>
/// <remarks>
/// Profiles are kept compact (one small array of writes each, a PC id generated only when first shown) because a
/// bulk upload can create millions of them.
/// </remarks>
internal sealed class EmulatorState
{
    private static readonly int TargetCount = Enum.GetValues<EmulatorFaultTarget>().Length;

    private readonly TargetEmulatorOptions _options;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, Profile> _byPcId = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Profile> _byThirdPartyId = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Profile> _byEcid = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _attributeNames = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private readonly ConcurrentQueue<EmulatorFault>[] _faults;
    private readonly List<EmulatorFault> _numberedFaults = [];
    private readonly long[] _calls = new long[TargetCount];
    private readonly object _createGate = new();
    private readonly object _randomGate = new();
    private Random? _random;
    private long _sequence;
    private long _generatedIds;
    private long _batchSerial;
    private long _applied;
    private long _dropped;

    public EmulatorState(TargetEmulatorOptions options)
    {
        _options = options;
        _time = options.TimeProvider;
        _faults = new ConcurrentQueue<EmulatorFault>[TargetCount];
        for (int i = 0; i < _faults.Length; i++)
        {
            _faults[i] = new ConcurrentQueue<EmulatorFault>();
        }

        Quota = new QuotaWindow(options.QuotaLimit, options.QuotaWindow, _time);
        BulkCalls = new QuotaWindow(options.BulkCallsPerMinute, TimeSpan.FromMinutes(1), _time);
        Tokens = new TokenStore(options);
        Batches = new BatchStore(options);
        Privacy = new PrivacyJobStore(options);
        Reset();
    }

    public QuotaWindow Quota { get; }

    /// <summary>The per-minute window shared by bulk, batch status and Admin API token calls.</summary>
    public QuotaWindow BulkCalls { get; }

    public TokenStore Tokens { get; }

    public BatchStore Batches { get; }

    public PrivacyJobStore Privacy { get; }

    public TimeSpan PropagationDelay => _options.PropagationDelay;

    /// <summary>The IMS organization the Privacy Service requires in <c>x-gw-ims-org-id</c>; none accepts any.</summary>
    public string? ImsOrgId => _options.ImsOrgId;

    public long AppliedUpdates => Interlocked.Read(ref _applied);

    public long DroppedUpdates => Interlocked.Read(ref _dropped);

    public DateTimeOffset Now => _time.GetUtcNow();

    public void Reset()
    {
        lock (_createGate)
        {
            _byPcId.Clear();
            _byThirdPartyId.Clear();
            _byEcid.Clear();
            _attributeNames.Clear();
            _requests.Clear();
            ClearFaults();
            Quota.Clear();
            BulkCalls.Clear();
            Tokens.Reset();
            Batches.Reset();
            Privacy.Reset();
            Interlocked.Exchange(ref _sequence, 0);
            Interlocked.Exchange(ref _applied, 0);
            Interlocked.Exchange(ref _dropped, 0);
            for (int i = 0; i < _calls.Length; i++)
            {
                Interlocked.Exchange(ref _calls[i], 0);
            }

            lock (_randomGate)
            {
                _random = _options.RandomFaults is { } random ? new Random(random.Seed) : null;
            }

            foreach (var seed in _options.Profiles)
            {
                Upsert(seed.PcId, seed.ThirdPartyId, seed.Attributes, seed.MarketingCloudVisitorId);
            }
        }
    }

    /// <summary>A new scenario: no requests, no faults, call numbers and counters from zero; profiles, tokens and batches stay.</summary>
    public void BeginScenario()
    {
        _requests.Clear();
        ClearFaults();
        Tokens.ResetCounters();
        Interlocked.Exchange(ref _sequence, 0);
        Interlocked.Exchange(ref _applied, 0);
        Interlocked.Exchange(ref _dropped, 0);
        for (int i = 0; i < _calls.Length; i++)
        {
            Interlocked.Exchange(ref _calls[i], 0);
        }
    }

    /// <summary>Creates the profile if needed (or revives an expired or erased one) and sets the given attributes at once
    /// (no propagation delay). Counts as activity.</summary>
    public EmulatedProfile Upsert(string? pcId, string? thirdPartyId, IEnumerable<KeyValuePair<string, string>> attributes, string? marketingCloudVisitorId = null)
    {
        long now = Now.UtcTicks;
        var profile = FindOrCreate(pcId, thirdPartyId, marketingCloudVisitorId, now, visibleFrom: now, out _);
        lock (_createGate)
        {
            EnsurePcId(profile);
        }

        lock (profile)
        {
            profile.LastActivity = now;
            profile.VisibleFrom = Math.Min(profile.VisibleFrom, now);
            foreach (var (name, value) in attributes)
            {
                AddWrite(profile, name, value, now, now, batch: 0);
            }

            return profile.Snapshot(now);
        }
    }

    /// <summary>
    /// A visitor's Target call: refreshes an existing profile's activity (and ends a run of consecutive v2 batches), or
    /// creates a profile that becomes visible to the profile APIs after <see cref="TargetEmulatorOptions.ProfileCreationDelay"/>.
    /// </summary>
    public EmulatedVisit Visit(string? pcId, string? thirdPartyId, string? marketingCloudVisitorId, IEnumerable<KeyValuePair<string, string>> attributes)
    {
        long now = Now.UtcTicks;
        var profile = FindOrCreate(pcId, thirdPartyId, marketingCloudVisitorId, now, visibleFrom: now + _options.ProfileCreationDelay.Ticks, out bool created);
        lock (_createGate)
        {
            EnsurePcId(profile);
        }

        lock (profile)
        {
            profile.LastActivity = now;
            profile.VisitedSinceBatch = true;
            foreach (var (name, value) in attributes)
            {
                if (value.Length > 0)
                {
                    AddWrite(profile, name, value, now, Math.Max(now, profile.VisibleFrom), batch: 0);
                }
            }

            return new EmulatedVisit(profile.PcId!, profile.ThirdPartyId, profile.Ecid, created, new DateTimeOffset(profile.VisibleFrom, TimeSpan.Zero));
        }
    }

    /// <summary>Applies an update to an existing, visible profile (update only: an unknown one is dropped and counted).</summary>
    public ApplyResult TryApply(bool byPcId, string id, IReadOnlyList<KeyValuePair<string, string>> attributes)
    {
        long now = Now.UtcTicks;
        var profile = (byPcId ? _byPcId : _byThirdPartyId).GetValueOrDefault(id);
        if (profile is null || !profile.IsVisible(now, _options.ProfileLifetime.Ticks))
        {
            Interlocked.Increment(ref _dropped);
            return ApplyResult.UnknownProfile;
        }

        long visibleAt = now + _options.PropagationDelay.Ticks;
        lock (profile)
        {
            if (_options.MaxProfileBytes > 0 && profile.BytesAfter(attributes) > _options.MaxProfileBytes)
            {
                Interlocked.Increment(ref _dropped);
                return ApplyResult.ProfileTooLarge;
            }

            foreach (var (name, value) in attributes)
            {
                AddWrite(profile, name, value, now, visibleAt, batch: 0);
            }
        }

        Interlocked.Increment(ref _applied);
        return ApplyResult.Applied;
    }

    /// <summary>
    /// Applies one bulk row: writes become visible at <paramref name="visibleAt"/>. An unknown profile is created
    /// (visible from then on) when <paramref name="create"/> is set (v2); otherwise the row is not applied. A v2 row keyed by
    /// third-party id replaces what the previous v2 batch set on that profile when no visit came in between (Adobe:
    /// consecutive v2 batches override, they are not merged).
    /// </summary>
    public ApplyResult ApplyBulkRow(bool byPcId, string id, ReadOnlySpan<string?> names, ReadOnlySpan<string?> values, DateTimeOffset writtenAt, DateTimeOffset visibleAt, bool create, long batch)
    {
        var row = new List<KeyValuePair<string, string>>(names.Length);
        for (int i = 0; i < values.Length; i++)
        {
            if (values[i] is { } value && names[i] is { } name)
            {
                row.Add(new(name, value));
            }
        }

        // Empty fields are ignored, so a row of empty fields sets nothing and creates nothing.
        if (row.Count == 0)
        {
            return ApplyResult.Empty;
        }

        long now = writtenAt.UtcTicks;
        long lifetime = _options.ProfileLifetime.Ticks;
        var index = byPcId ? _byPcId : _byThirdPartyId;
        var profile = index.GetValueOrDefault(id);
        if (profile is null || !profile.Exists(now, lifetime) || (!create && !profile.IsVisible(now, lifetime)))
        {
            if (!create)
            {
                return ApplyResult.UnknownProfile;
            }

            profile = FindOrCreate(byPcId ? id : null, byPcId ? null : id, null, now, visibleAt.UtcTicks, out _);
        }

        lock (profile)
        {
            bool overrides = create && !byPcId && profile.LastV2Batch is { } previous && previous.Batch != batch && !profile.VisitedSinceBatch;
            if (_options.MaxProfileBytes > 0 && profile.BytesAfter(row, overrides ? profile.LastV2Batch!.Value.Names : null) > _options.MaxProfileBytes)
            {
                return ApplyResult.ProfileTooLarge;
            }

            if (overrides)
            {
                foreach (string name in profile.LastV2Batch!.Value.Names)
                {
                    AddTombstone(profile, name, now, visibleAt.UtcTicks);
                }
            }

            foreach (var (name, value) in row)
            {
                AddWrite(profile, name, value, now, visibleAt.UtcTicks, batch);
            }

            if (create)
            {
                profile.LastActivity = Math.Max(profile.LastActivity, now);
                if (!byPcId)
                {
                    var names2 = new List<string>(row.Count);
                    if (profile.LastV2Batch is { } last && last.Batch == batch)
                    {
                        names2.AddRange(last.Names);
                    }

                    names2.AddRange(row.Select(r => r.Key));
                    profile.LastV2Batch = (batch, names2.ToArray());
                    profile.VisitedSinceBatch = false;
                }
            }
        }

        return ApplyResult.Applied;
    }

    public EmulatedProfile? Find(bool byPcId, string id) => Find(byPcId ? _byPcId : _byThirdPartyId, id);

    public EmulatedProfile? FindByEcid(string ecid) => Find(_byEcid, ecid);

    /// <summary>The existing profile (created, not expired, not erased) with this id, for the Privacy Service.</summary>
    public object? FindExisting(PrivacyIdKind kind, string id)
    {
        var index = kind switch
        {
            PrivacyIdKind.PcId => _byPcId,
            PrivacyIdKind.ThirdPartyId => _byThirdPartyId,
            _ => _byEcid,
        };
        var profile = index.GetValueOrDefault(id);
        return profile is not null && profile.Exists(Now.UtcTicks, _options.ProfileLifetime.Ticks) ? profile : null;
    }

    /// <summary>A snapshot of a profile found by <see cref="FindExisting"/>, including attributes not yet visible to fetch.</summary>
    public EmulatedProfile SnapshotAll(object profile)
    {
        var p = (Profile)profile;
        lock (_createGate)
        {
            EnsurePcId(p);
        }

        lock (p)
        {
            return p.Snapshot(long.MaxValue);
        }
    }

    /// <summary>Erases a profile found by <see cref="FindExisting"/> at <paramref name="at"/>: from then on it fetches as 404 and drops updates.</summary>
    public static void Erase(object profile, DateTimeOffset at)
    {
        var p = (Profile)profile;
        lock (p)
        {
            p.ErasedAt = Math.Min(p.ErasedAt, at.UtcTicks);
        }
    }

    /// <summary>Every attribute name stored or seeded since start or reset, in ordinal order.</summary>
    public IReadOnlyList<string> AttributeNames() => _attributeNames.Keys.Order(StringComparer.Ordinal).ToList();

    public IReadOnlyList<EmulatedProfile> Profiles()
    {
        long now = Now.UtcTicks;
        long lifetime = _options.ProfileLifetime.Ticks;
        lock (_createGate)
        {
            foreach (var profile in _byThirdPartyId.Values.Concat(_byEcid.Values))
            {
                EnsurePcId(profile);
            }
        }

        return _byPcId.Values.Distinct().Where(p => p.Exists(now, lifetime)).Select(p =>
        {
            lock (p)
            {
                return p.Snapshot(now);
            }
        }).OrderBy(p => p.PcId, StringComparer.Ordinal).ToList();
    }

    public void Record(RecordedRequest request)
    {
        _requests.Enqueue(request);
        while (_requests.Count > _options.MaxRecordedRequests && _requests.TryDequeue(out _))
        {
        }
    }

    public long NextSequence() => Interlocked.Increment(ref _sequence);

    /// <summary>A number for each accepted bulk batch (never reset), telling consecutive v2 batches apart.</summary>
    public long NextBatchSerial() => Interlocked.Increment(ref _batchSerial);

    public IReadOnlyList<RecordedRequest> Requests() => _requests.OrderBy(r => r.Sequence).ToList();

    public void EnqueueFault(EmulatorFault fault)
    {
        if (fault.CallNumber is null)
        {
            _faults[(int)fault.Target].Enqueue(fault);
            return;
        }

        lock (_numberedFaults)
        {
            _numberedFaults.Add(fault);
        }
    }

    public void ClearFaults()
    {
        foreach (var queue in _faults)
        {
            queue.Clear();
        }

        lock (_numberedFaults)
        {
            _numberedFaults.Clear();
        }
    }

    /// <summary>How many calls <paramref name="target"/> received since start or reset.</summary>
    public long Calls(EmulatorFaultTarget target) => Interlocked.Read(ref _calls[(int)target]);

    /// <summary>
    /// Counts a call to <paramref name="target"/> and returns its fault: one scripted for this call number, else the next
    /// scripted one, else (for profile endpoints) a random one when configured, else none.
    /// </summary>
    public EmulatorFault? NextFault(EmulatorFaultTarget target)
    {
        long call = Interlocked.Increment(ref _calls[(int)target]);
        lock (_numberedFaults)
        {
            int i = _numberedFaults.FindIndex(f => f.Target == target && f.CallNumber == call);
            if (i >= 0)
            {
                var numbered = _numberedFaults[i];
                _numberedFaults.RemoveAt(i);
                return numbered;
            }
        }

        if (_faults[(int)target].TryDequeue(out var fault))
        {
            return fault;
        }

        if (target != EmulatorFaultTarget.Profile || _options.RandomFaults is not { Faults.Count: > 0 } random)
        {
            return null;
        }

        lock (_randomGate)
        {
            if (_random is null || _random.NextDouble() >= random.Probability)
            {
                return null;
            }

            return random.Faults[_random.Next(random.Faults.Count)];
        }
    }

    private EmulatedProfile? Find(ConcurrentDictionary<string, Profile> index, string id)
    {
        var profile = index.GetValueOrDefault(id);
        long now = Now.UtcTicks;
        if (profile is null || !profile.IsVisible(now, _options.ProfileLifetime.Ticks))
        {
            return null;
        }

        if (profile.PcId is null)
        {
            lock (_createGate)
            {
                EnsurePcId(profile);
            }
        }

        lock (profile)
        {
            return profile.Snapshot(now);
        }
    }

    /// <summary>
    /// The existing profile with one of these ids, or a new one (replacing an expired or erased one in every index).
    /// </summary>
    private Profile FindOrCreate(string? pcId, string? thirdPartyId, string? ecid, long now, long visibleFrom, out bool created)
    {
        if (pcId is null && thirdPartyId is null && ecid is null)
        {
            throw new ArgumentException("A profile needs a PC id, a third-party id or an ECID.");
        }

        long lifetime = _options.ProfileLifetime.Ticks;
        lock (_createGate)
        {
            var found = (pcId is not null ? _byPcId.GetValueOrDefault(pcId) : null)
                ?? (thirdPartyId is not null ? _byThirdPartyId.GetValueOrDefault(thirdPartyId) : null)
                ?? (ecid is not null ? _byEcid.GetValueOrDefault(ecid) : null);
            Profile profile;
            if (found is not null && found.Exists(now, lifetime))
            {
                profile = found;
                created = false;
            }
            else
            {
                if (found is not null)
                {
                    Retire(found);
                }

                profile = new Profile(pcId, now, visibleFrom) { LastActivity = now };
                created = true;
            }

            if (profile.PcId is null && pcId is not null)
            {
                profile.PcId = pcId;
            }

            if (profile.PcId is not null)
            {
                _byPcId[profile.PcId] = profile;
            }

            if (thirdPartyId is not null)
            {
                profile.ThirdPartyId = thirdPartyId;
                _byThirdPartyId[thirdPartyId] = profile;
            }

            if (ecid is not null)
            {
                profile.Ecid = ecid;
                _byEcid[ecid] = profile;
            }

            return profile;
        }
    }

    /// <summary>Removes an expired or erased profile from every index. Call under the create gate.</summary>
    private void Retire(Profile profile)
    {
        if (profile.PcId is not null)
        {
            _byPcId.TryRemove(new KeyValuePair<string, Profile>(profile.PcId, profile));
        }

        if (profile.ThirdPartyId is not null)
        {
            _byThirdPartyId.TryRemove(new KeyValuePair<string, Profile>(profile.ThirdPartyId, profile));
        }

        if (profile.Ecid is not null)
        {
            _byEcid.TryRemove(new KeyValuePair<string, Profile>(profile.Ecid, profile));
        }
    }

    /// <summary>Adds a write and remembers the name for the attribute catalog. Call under the profile's lock.</summary>
    private void AddWrite(Profile profile, string name, string value, long writtenAt, long visibleAt, long batch)
    {
        _attributeNames.TryAdd(name, 0);
        profile.Add(name, value, writtenAt, visibleAt, batch);
    }

    private static void AddTombstone(Profile profile, string name, long writtenAt, long visibleAt) => profile.Add(name, null, writtenAt, visibleAt, 0);

    /// <summary>Gives a profile created without a PC id its PC id. Call under the create gate.</summary>
    private void EnsurePcId(Profile profile)
    {
        if (profile.PcId is null)
        {
            profile.PcId = GeneratePcId();
            _byPcId[profile.PcId] = profile;
        }
    }

    private string GeneratePcId() =>
        string.Create(CultureInfo.InvariantCulture, $"{1700000000000 + Interlocked.Increment(ref _generatedIds)}-{Random.Shared.Next(100000, 999999)}.01_00");

    /// <summary>One attribute write; a <see langword="null"/> value removes the name (a v2 batch overriding the previous one).</summary>
    private struct Write(string name, string? value, long writtenAt, long visibleAt, long batch)
    {
        public readonly string Name = name;
        public readonly string? Value = value;
        public readonly long WrittenAt = writtenAt;
        public readonly long VisibleAt = visibleAt;
        public readonly long Batch = batch;
    }

    /// <summary>One profile: its ids, its life (created, visible, last active, erased) and its attribute writes in arrival order
    /// (the latest visible write of a name wins).</summary>
    private sealed class Profile(string? pcId, long createdAt, long visibleFrom)
    {
        private Write[]? _writes;
        private int _count;

        public string? PcId { get; set; } = pcId;

        public string? ThirdPartyId { get; set; }

        public string? Ecid { get; set; }

        public long CreatedAt { get; } = createdAt;

        /// <summary>Before this time (UTC ticks) the profile APIs do not find the profile (created by a visit or a v2 batch, not yet available).</summary>
        public long VisibleFrom { get; set; } = visibleFrom;

        /// <summary>The last visit (or seed, or v2 batch write), in UTC ticks: the profile expires a lifetime after it.</summary>
        public long LastActivity { get; set; }

        /// <summary>From this time (UTC ticks) the profile is erased (a Privacy Service deletion).</summary>
        public long ErasedAt { get; set; } = long.MaxValue;

        /// <summary>The last v2 batch that wrote to this profile by third-party id, and the names it set.</summary>
        public (long Batch, string[] Names)? LastV2Batch { get; set; }

        /// <summary>Whether a visit came after <see cref="LastV2Batch"/> (then the next v2 batch merges instead of overriding).</summary>
        public bool VisitedSinceBatch { get; set; }

        public bool Exists(long now, long lifetime) => now < ErasedAt && now - LastActivity < lifetime;

        public bool IsVisible(long now, long lifetime) => VisibleFrom <= now && Exists(now, lifetime);

        /// <summary>Adds a write, first dropping writes it makes obsolete. Call under the profile's lock.</summary>
        public void Add(string name, string? value, long writtenAt, long visibleAt, long batch)
        {
            Compact(writtenAt);
            _writes ??= new Write[2];
            if (_count == _writes.Length)
            {
                Array.Resize(ref _writes, _count * 2);
            }

            _writes[_count++] = new Write(name, value, writtenAt, visibleAt, batch);
        }

        /// <summary>The external data bytes (UTF-8 names and values, latest write of each name, pending ones included) once
        /// <paramref name="attributes"/> are written and <paramref name="removed"/> names dropped. Call under the profile's lock.</summary>
        public long BytesAfter(IReadOnlyList<KeyValuePair<string, string>> attributes, string[]? removed = null)
        {
            var latest = new Dictionary<string, string?>(StringComparer.Ordinal);
            for (int i = 0; i < _count; i++)
            {
                latest[_writes![i].Name] = _writes[i].Value;
            }

            foreach (string name in removed ?? [])
            {
                latest.Remove(name);
            }

            foreach (var (name, value) in attributes)
            {
                latest[name] = value;
            }

            long bytes = 0;
            foreach (var (name, value) in latest)
            {
                if (value is not null)
                {
                    bytes += System.Text.Encoding.UTF8.GetByteCount(name) + System.Text.Encoding.UTF8.GetByteCount(value);
                }
            }

            return bytes;
        }

        /// <summary>The attributes visible at <paramref name="now"/>. Call under the profile's lock.</summary>
        public EmulatedProfile Snapshot(long now)
        {
            var visible = new Dictionary<string, EmulatedAttributeValue>(StringComparer.Ordinal);
            long modifiedAt = CreatedAt;
            int pending = 0;
            for (int i = 0; i < _count; i++)
            {
                ref readonly var write = ref _writes![i];
                if (write.VisibleAt > now)
                {
                    pending++;
                    continue;
                }

                if (write.Value is null)
                {
                    visible.Remove(write.Name);
                }
                else
                {
                    visible[write.Name] = new EmulatedAttributeValue(write.Value, new DateTimeOffset(write.WrittenAt, TimeSpan.Zero));
                }

                modifiedAt = Math.Max(modifiedAt, write.WrittenAt);
            }

            return new EmulatedProfile(PcId!, ThirdPartyId, new DateTimeOffset(modifiedAt, TimeSpan.Zero), visible, pending) { MarketingCloudVisitorId = Ecid };
        }

        /// <summary>Drops every write followed by a visible write of the same name.</summary>
        private void Compact(long now)
        {
            int kept = 0;
            for (int i = 0; i < _count; i++)
            {
                bool superseded = false;
                for (int j = i + 1; j < _count && !superseded; j++)
                {
                    superseded = _writes![j].VisibleAt <= now && string.Equals(_writes[j].Name, _writes[i].Name, StringComparison.Ordinal);
                }

                if (!superseded)
                {
                    _writes![kept++] = _writes[i];
                }
            }

            Array.Clear(_writes ?? [], kept, _count - kept);
            _count = kept;
        }
    }
}

/// <summary>What became of a single update or a bulk row.</summary>
internal enum ApplyResult
{
    Applied,
    UnknownProfile,
    ProfileTooLarge,
    Empty,
}

/// <summary>The Target id kinds the Privacy Service accepts: <c>TNTID</c>, <c>THIRDPARTYID</c>, <c>ECID</c>.</summary>
internal enum PrivacyIdKind
{
    PcId,
    ThirdPartyId,
    Ecid,
}
