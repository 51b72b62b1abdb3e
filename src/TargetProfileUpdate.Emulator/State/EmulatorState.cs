using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;

namespace TargetProfileUpdate.Emulator.State;

/// <summary>
/// Everything the emulator knows: profiles (indexed by PC id and third-party id), the requests it received,
/// the quota window and the fault script. Thread-safe: each profile has its own lock; indexes are concurrent.
/// </summary>
internal sealed class EmulatorState
{
    private readonly TargetEmulatorOptions _options;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, Profile> _byPcId = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Profile> _byThirdPartyId = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private readonly ConcurrentQueue<EmulatorFault> _faults = new();
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
        Quota = new QuotaWindow(options.QuotaLimit, options.QuotaWindow, _time);
        Reset();
    }

    public QuotaWindow Quota { get; }

    public long AppliedUpdates => Interlocked.Read(ref _applied);

    public long DroppedUpdates => Interlocked.Read(ref _dropped);

    public DateTimeOffset Now => _time.GetUtcNow();

    public void Reset()
    {
        lock (_createGate)
        {
            _byPcId.Clear();
            _byThirdPartyId.Clear();
            _requests.Clear();
            _faults.Clear();
            Quota.Clear();
            Interlocked.Exchange(ref _sequence, 0);
            Interlocked.Exchange(ref _applied, 0);
            Interlocked.Exchange(ref _dropped, 0);
            lock (_randomGate)
            {
                _random = _options.RandomFaults is { } random ? new Random(random.Seed) : null;
            }

            foreach (var seed in _options.Profiles)
            {
                Upsert(seed.PcId, seed.ThirdPartyId, seed.Attributes);
            }
        }
    }

    /// <summary>Creates the profile if needed and sets the given attributes at once (no propagation delay).</summary>
    public EmulatedProfile Upsert(string? pcId, string? thirdPartyId, IEnumerable<KeyValuePair<string, string>> attributes)
    {
        if (pcId is null && thirdPartyId is null)
        {
            throw new ArgumentException("A profile needs a PC id or a third-party id.");
        }

        Profile profile;
        lock (_createGate)
        {
            profile = (pcId is not null ? _byPcId.GetValueOrDefault(pcId) : null)
                ?? (thirdPartyId is not null ? _byThirdPartyId.GetValueOrDefault(thirdPartyId) : null)
                ?? new Profile(pcId ?? GeneratePcId(), Now);
            _byPcId[profile.PcId] = profile;
            if (thirdPartyId is not null)
            {
                profile.ThirdPartyId = thirdPartyId;
                _byThirdPartyId[thirdPartyId] = profile;
            }
        }

        var now = Now;
        lock (profile)
        {
            foreach (var (name, value) in attributes)
            {
                profile.Pending.Add(new PendingWrite(name, value, now, now));
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

        var now = Now;
        var visibleAt = now + _options.PropagationDelay;
        lock (profile)
        {
            foreach (var (name, value) in attributes)
            {
                profile.Pending.Add(new PendingWrite(name, value, now, visibleAt));
            }

            profile.Promote(now);
        }

        Interlocked.Increment(ref _applied);
        return true;
    }

    public EmulatedProfile? Find(bool byPcId, string id)
    {
        var profile = (byPcId ? _byPcId : _byThirdPartyId).GetValueOrDefault(id);
        if (profile is null)
        {
            return null;
        }

        lock (profile)
        {
            return profile.Snapshot(Now);
        }
    }

    public IReadOnlyList<EmulatedProfile> Profiles()
    {
        var now = Now;
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

    public void EnqueueFault(EmulatorFault fault) => _faults.Enqueue(fault);

    public void ClearFaults() => _faults.Clear();

    /// <summary>The next scripted fault, else a random one (when configured), else none.</summary>
    public EmulatorFault? NextFault()
    {
        if (_faults.TryDequeue(out var fault))
        {
            return fault;
        }

        if (_options.RandomFaults is not { Faults.Count: > 0 } random)
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

    private string GeneratePcId() =>
        string.Create(CultureInfo.InvariantCulture, $"{1700000000000 + Interlocked.Increment(ref _generatedIds)}-{Random.Shared.Next(100000, 999999)}.01_00");

    private sealed record PendingWrite(string Name, string Value, DateTimeOffset WrittenAt, DateTimeOffset VisibleAt);

    private sealed class Profile(string pcId, DateTimeOffset createdAt)
    {
        public string PcId { get; } = pcId;

        public string? ThirdPartyId { get; set; }

        public DateTimeOffset ModifiedAt { get; private set; } = createdAt;

        public Dictionary<string, EmulatedAttributeValue> Visible { get; } = new(StringComparer.Ordinal);

        public List<PendingWrite> Pending { get; } = [];

        /// <summary>Makes due writes visible in arrival order, then copies. Call under the profile's lock.</summary>
        public EmulatedProfile Snapshot(DateTimeOffset now)
        {
            Promote(now);
            return new EmulatedProfile(PcId, ThirdPartyId, ModifiedAt, new Dictionary<string, EmulatedAttributeValue>(Visible, StringComparer.Ordinal), Pending.Count);
        }

        /// <summary>Makes due writes visible in arrival order. Call under the profile's lock.</summary>
        public void Promote(DateTimeOffset now)
        {
            int due = 0;
            while (due < Pending.Count && Pending[due].VisibleAt <= now)
            {
                var write = Pending[due++];
                Visible[write.Name] = new EmulatedAttributeValue(write.Value, write.WrittenAt);
                ModifiedAt = write.WrittenAt > ModifiedAt ? write.WrittenAt : ModifiedAt;
            }

            Pending.RemoveRange(0, due);
        }
    }
}
