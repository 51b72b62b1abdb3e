using System;
using System.Collections.Concurrent;
using System.Threading;
using System.Threading.Tasks;

namespace TargetProfileUpdate.Delivery;

/// <summary>
/// "Does this profile exist?" for one account: positive answers cached with a TTL in bounded memory (two generations of at
/// most half the capacity each; when the young one fills, the old one is dropped), and concurrent questions about one id
/// share one fetch. Missing profiles are never cached: they may be created by a visit at any moment.
/// </summary>
internal sealed class ExistenceCache
{
    private readonly IProfileFetchClient _fetch;
    private readonly TimeProvider _time;
    private readonly long _ttlTicks;
    private readonly int _generationSize;
    private readonly object _rotateGate = new();
    private readonly ConcurrentDictionary<ProfileId, Lazy<Task<bool>>> _inFlight = new();
    private ConcurrentDictionary<ProfileId, long> _young = new();
    private ConcurrentDictionary<ProfileId, long> _old = new();

    public ExistenceCache(IProfileFetchClient fetch, TimeProvider time, TimeSpan ttl, int capacity)
    {
        _fetch = fetch;
        _time = time;
        _ttlTicks = ttl.Ticks;
        _generationSize = Math.Max(8, capacity / 2);
    }

    /// <summary>Raised once per fetch actually made: true when the profile exists (for metrics).</summary>
    public event Action<bool>? Fetched;

    public int Count => _young.Count + _old.Count;

    public bool IsKnownToExist(ProfileId id)
    {
        long now = _time.GetUtcNow().UtcTicks;
        if (_young.TryGetValue(id, out long expires) && expires > now)
        {
            return true;
        }

        if (_old.TryGetValue(id, out expires) && expires > now)
        {
            Remember(id, expires);
            return true;
        }

        return false;
    }

    public void Remember(ProfileId id) => Remember(id, _time.GetUtcNow().UtcTicks + _ttlTicks);

    /// <summary>Asks the cache, else the Profile Fetch API (one fetch for every concurrent caller asking about the id).</summary>
    /// <exception cref="ProfileApiException">The fetch failed.</exception>
    public ValueTask<bool> ExistsAsync(ProfileId id, CancellationToken cancellationToken)
    {
        if (IsKnownToExist(id))
        {
            return new ValueTask<bool>(true);
        }

        var lazy = _inFlight.GetOrAdd(id, static (key, self) => new Lazy<Task<bool>>(() => self.FetchAsync(key)), this);
        return new ValueTask<bool>(lazy.Value.WaitAsync(cancellationToken));
    }

    private async Task<bool> FetchAsync(ProfileId id)
    {
        try
        {
            // Not the caller's token: the answer is shared by every caller waiting on it, each of whom can stop waiting.
            var profile = await _fetch.GetProfileAsync(id, CancellationToken.None).ConfigureAwait(false);
            bool exists = profile is not null;
            if (exists)
            {
                Remember(id);
            }

            Fetched?.Invoke(exists);
            return exists;
        }
        finally
        {
            _inFlight.TryRemove(id, out _);
        }
    }

    private void Remember(ProfileId id, long expires)
    {
        if (_young.Count >= _generationSize)
        {
            lock (_rotateGate)
            {
                if (_young.Count >= _generationSize)
                {
                    _old = _young;
                    _young = new ConcurrentDictionary<ProfileId, long>();
                }
            }
        }

        _young[id] = expires;
    }
}
