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
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private readonly ConcurrentQueue<EmulatorFault>[] _faults;
    private readonly List<EmulatorFault> _numberedFaults = [];
    private readonly long[] _calls = new long[TargetCount];
    private readonly object _createGate = new();
    private readonly object _randomGate = new();
    private Random? _random;
    private long _sequence;
    private long _generatedIds;
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
        Reset();
    }

    public QuotaWindow Quota { get; }

    /// <summary>The per-minute window shared by bulk, batch status and Admin API token calls.</summary>
    public QuotaWindow BulkCalls { get; }

    public TokenStore Tokens { get; }

    public BatchStore Batches { get; }

    public TimeSpan PropagationDelay => _options.PropagationDelay;

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
            _requests.Clear();
            ClearFaults();
            Quota.Clear();
            BulkCalls.Clear();
            Tokens.Reset();
            Batches.Reset();
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

    /// <summary>Creates the profile if needed and sets the given attributes at once (no propagation delay).</summary>
    public EmulatedProfile Upsert(string? pcId, string? thirdPartyId, IEnumerable<KeyValuePair<string, string>> attributes, string? marketingCloudVisitorId = null)
    {
        if (pcId is null && thirdPartyId is null && marketingCloudVisitorId is null)
        {
            throw new ArgumentException("A profile needs a PC id, a third-party id or an ECID.");
        }

        long now = Now.UtcTicks;
        Profile profile;
        lock (_createGate)
        {
            profile = (pcId is not null ? _byPcId.GetValueOrDefault(pcId) : null)
                ?? (thirdPartyId is not null ? _byThirdPartyId.GetValueOrDefault(thirdPartyId) : null)
                ?? (marketingCloudVisitorId is not null ? _byEcid.GetValueOrDefault(marketingCloudVisitorId) : null)
                ?? new Profile(pcId, now, now);
            if (profile.PcId is null)
            {
                profile.PcId = pcId ?? GeneratePcId();
            }

            profile.VisibleFrom = Math.Min(profile.VisibleFrom, now);
            _byPcId[profile.PcId] = profile;
            if (thirdPartyId is not null)
            {
                profile.ThirdPartyId = thirdPartyId;
                _byThirdPartyId[thirdPartyId] = profile;
            }

            if (marketingCloudVisitorId is not null)
            {
                profile.Ecid = marketingCloudVisitorId;
                _byEcid[marketingCloudVisitorId] = profile;
            }
        }

        lock (profile)
        {
            foreach (var (name, value) in attributes)
            {
                profile.Add(name, value, now, now);
            }

            return profile.Snapshot(now);
        }
    }

    /// <summary>Applies an update to an existing profile; returns false (and counts a drop) for an unknown one.</summary>
    public bool TryApply(bool byPcId, string id, IReadOnlyList<KeyValuePair<string, string>> attributes)
    {
        var profile = (byPcId ? _byPcId : _byThirdPartyId).GetValueOrDefault(id);
        if (profile is null)
        {
            Interlocked.Increment(ref _dropped);
            return false;
        }

        long now = Now.UtcTicks;
        long visibleAt = now + _options.PropagationDelay.Ticks;
        lock (profile)
        {
            foreach (var (name, value) in attributes)
            {
                profile.Add(name, value, now, visibleAt);
            }
        }

        Interlocked.Increment(ref _applied);
        return true;
    }

    /// <summary>
    /// Applies one bulk row: writes become visible at <paramref name="visibleAt"/>. An unknown profile is created
    /// (visible from then on) when <paramref name="create"/> is set; otherwise the row is not applied and false is returned.
    /// </summary>
    public bool ApplyBulkRow(bool byPcId, string id, ReadOnlySpan<string?> names, ReadOnlySpan<string?> values, DateTimeOffset writtenAt, DateTimeOffset visibleAt, bool create)
    {
        var index = byPcId ? _byPcId : _byThirdPartyId;
        var profile = index.GetValueOrDefault(id);
        if (profile is null)
        {
            if (!create)
            {
                return false;
            }

            lock (_createGate)
            {
                profile = index.GetValueOrDefault(id);
                if (profile is null)
                {
                    // The PC id of a profile created from a thirdPartyId file is generated when first shown.
                    profile = new Profile(byPcId ? id : null, writtenAt.UtcTicks, visibleAt.UtcTicks);
                    if (!byPcId)
                    {
                        profile.ThirdPartyId = id;
                    }

                    index[id] = profile;
                }
            }
        }

        lock (profile)
        {
            for (int i = 0; i < values.Length; i++)
            {
                if (values[i] is { } value && names[i] is { } name)
                {
                    profile.Add(name, value, writtenAt.UtcTicks, visibleAt.UtcTicks);
                }
            }
        }

        return true;
    }

    public EmulatedProfile? Find(bool byPcId, string id) => Find(byPcId ? _byPcId : _byThirdPartyId, id);

    public EmulatedProfile? FindByEcid(string ecid) => Find(_byEcid, ecid);

    public IReadOnlyList<EmulatedProfile> Profiles()
    {
        long now = Now.UtcTicks;
        lock (_createGate)
        {
            foreach (var profile in _byThirdPartyId.Values)
            {
                EnsurePcId(profile);
            }
        }

        return _byPcId.Values.Distinct().Select(p =>
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
        if (profile is null || profile.VisibleFrom > now)
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

    /// <summary>Gives a profile created by a bulk thirdPartyId row its PC id. Call under the create gate.</summary>
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

    private struct Write(string name, string value, long writtenAt, long visibleAt)
    {
        public readonly string Name = name;
        public readonly string Value = value;
        public readonly long WrittenAt = writtenAt;
        public readonly long VisibleAt = visibleAt;
    }

    /// <summary>One profile: its ids and its attribute writes in arrival order (the latest visible write of a name wins).</summary>
    private sealed class Profile(string? pcId, long createdAt, long visibleFrom)
    {
        private Write[]? _writes;
        private int _count;

        public string? PcId { get; set; } = pcId;

        public string? ThirdPartyId { get; set; }

        public string? Ecid { get; set; }

        public long CreatedAt { get; } = createdAt;

        /// <summary>Before this time (UTC ticks) profile fetch does not find the profile (a bulk-created one being processed).</summary>
        public long VisibleFrom { get; set; } = visibleFrom;

        /// <summary>Adds a write, first dropping writes it makes obsolete. Call under the profile's lock.</summary>
        public void Add(string name, string value, long writtenAt, long visibleAt)
        {
            Compact(writtenAt);
            _writes ??= new Write[2];
            if (_count == _writes.Length)
            {
                Array.Resize(ref _writes, _count * 2);
            }

            _writes[_count++] = new Write(name, value, writtenAt, visibleAt);
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

                visible[write.Name] = new EmulatedAttributeValue(write.Value, new DateTimeOffset(write.WrittenAt, TimeSpan.Zero));
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
