using System;
using System.Collections.Generic;
using System.Globalization;
using System.Security.Cryptography;
using System.Threading;
using System.Threading.Tasks;
using StackExchange.Redis;

namespace TargetProfileUpdate.Redis.Delivery;

/// <summary>
/// The pending store in Redis: survives restarts and is shared by every instance of the service. Claims are exclusive (one
/// Lua script each), so with several instances re-checking at once each pending update is sent by one of them, once; an
/// update is removed from Redis right after Adobe accepted it. Ids appear in keys only as SHA-256 hashes; the list items
/// hold the ids and values, since they must be sent later.
/// </summary>
internal sealed class RedisProfileDeliveryStore : IProfileDeliveryStore, IAsyncDisposable, IDisposable
{
    private readonly IConnectionMultiplexer _connection;
    private readonly bool _ownsConnection;
    private readonly long _capacity;
    private readonly long _claimTimeoutMs;
    private readonly string _prefix;
    private readonly RedisKey _due;
    private readonly RedisKey _age;
    private readonly RedisKey _owner;
    private readonly RedisKey _count;

    public RedisProfileDeliveryStore(RedisDeliveryStoreOptions options, string clientCode, long capacity, IServiceProvider? services = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _capacity = capacity;
        _claimTimeoutMs = (long)options.ClaimTimeout.TotalMilliseconds;
        _prefix = options.KeyPrefix.Replace(RedisLimitOptions.ClientCodePlaceholder, clientCode, StringComparison.Ordinal);
        _due = _prefix + "due";
        _age = _prefix + "age";
        _owner = _prefix + "owner";
        _count = _prefix + "count";
        if (options.ConnectionMultiplexerFactory is { } factory)
        {
            _connection = factory(services ?? throw new ArgumentException("RedisDeliveryStoreOptions.ConnectionMultiplexerFactory needs a service provider.", nameof(services)))
                ?? throw new ArgumentException("RedisDeliveryStoreOptions.ConnectionMultiplexerFactory returned null.", nameof(options));
        }
        else
        {
            ConfigurationOptions configuration;
            try
            {
                configuration = ConfigurationOptions.Parse(options.ConnectionString!);
            }
            catch (ArgumentException)
            {
                throw new ArgumentException("RedisDeliveryStoreOptions.ConnectionString is not a valid StackExchange.Redis connection string (not shown: it may hold a password).", nameof(options));
            }

            configuration.AbortOnConnectFail = false;

            // While disconnected, a step fails at once instead of waiting in the backlog: a queued Add replayed after the
            // reconnection would store an update whose caller was already told it failed (and may send it again).
            configuration.BacklogPolicy = BacklogPolicy.FailFast;
            _connection = ConnectionMultiplexer.Connect(configuration);
            _ownsConnection = true;
        }
    }

    public string KeyPrefix => _prefix;

    private IDatabase Db => _connection.GetDatabase();

    public async Task<bool> AppendIfPendingAsync(PendingProfileUpdate update, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(update);
        long result = (long)await RunAsync(DeliveryScripts.AppendIfPending, [List(Member(update.Id)), _count], [PendingUpdateCodec.Encode(update), _capacity]).ConfigureAwait(false);
        return result == -1 ? throw Full() : result == 1;
    }

    public async Task AddAsync(PendingProfileUpdate update, DateTimeOffset checkAt, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(update);
        string member = Member(update.Id);
        long result = (long)await RunAsync(
            DeliveryScripts.Add,
            [List(member), _due, _age, _count],
            [PendingUpdateCodec.Encode(update), checkAt.ToUnixTimeMilliseconds(), member, update.DeferredAt.ToUnixTimeMilliseconds(), _capacity]).ConfigureAwait(false);
        if (result == -1)
        {
            throw Full();
        }
    }

    public async Task<IReadOnlyList<PendingProfileClaim>> ClaimDueAsync(DateTimeOffset now, int maxProfiles, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxProfiles, 1);
        var result = (RedisResult[])(await RunAsync(
            DeliveryScripts.Claim,
            [_due, _owner, _age],
            [now.ToUnixTimeMilliseconds(), maxProfiles, _claimTimeoutMs, Guid.NewGuid().ToString("N"), _prefix + "q:"]).ConfigureAwait(false))!;
        var claims = new List<PendingProfileClaim>(result.Length / 3);
        for (int i = 0; i + 2 < result.Length; i += 3)
        {
            var items = (RedisResult[])result[i + 2]!;
            var updates = new PendingProfileUpdate[items.Length];
            for (int j = 0; j < items.Length; j++)
            {
                updates[j] = PendingUpdateCodec.Decode((string)items[j]!);
            }

            claims.Add(new PendingProfileClaim(updates[0].Id, updates, (string)result[i + 1]!));
        }

        return claims;
    }

    public async Task<bool> RemoveAsync(PendingProfileClaim claim, int count, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(claim);
        long removed = (long)await RunAsync(DeliveryScripts.Remove, [_owner, _age, _count], [Member(claim.Id), claim.Token, count, _prefix + "q:"]).ConfigureAwait(false);
        return removed >= 0;
    }

    public async Task ReleaseAsync(PendingProfileClaim claim, DateTimeOffset checkAt, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(claim);
        await RunAsync(DeliveryScripts.Release, [_due, _owner, _age], [Member(claim.Id), claim.Token, checkAt.ToUnixTimeMilliseconds(), _prefix + "q:"]).ConfigureAwait(false);
    }

    public async Task<ProfileDeliveryStoreStatistics> GetStatisticsAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            var count = await Db.StringGetAsync(_count).ConfigureAwait(false);
            var oldest = await Db.SortedSetRangeByRankWithScoresAsync(_age, 0, 0).ConfigureAwait(false);
            return new ProfileDeliveryStoreStatistics(
                count.HasValue ? Math.Max(0, (long)count) : 0,
                oldest.Length == 0 ? null : DateTimeOffset.FromUnixTimeMilliseconds((long)oldest[0].Score));
        }
        catch (RedisException ex)
        {
            throw Unavailable(ex);
        }
    }

    public void Dispose()
    {
        if (_ownsConnection)
        {
            _connection.Dispose();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_ownsConnection)
        {
            await _connection.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>The id's hash, hex: ids never appear in key names.</summary>
    internal static string Member(ProfileId id)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(((int)id.Kind).ToString(CultureInfo.InvariantCulture) + ":" + id.Value), hash);
        return Convert.ToHexString(hash);
    }

    private static ProfileApiException Unavailable(Exception inner) => new(
        "The Redis pending store is unavailable (" + inner.GetType().Name + "): the update was neither sent nor stored; send it again later.",
        statusCode: null,
        responseBody: null,
        attempts: 0,
        isTransient: true,
        inner);

    private ProfileApiException Full() => new(
        string.Create(CultureInfo.InvariantCulture, $"The Redis pending store is full ({_capacity:N0} updates, ProfileDeliveryOptions.MaxPendingUpdates): the update was neither sent nor stored. Raise MaxPendingUpdates or send it again later."),
        statusCode: null,
        responseBody: null,
        attempts: 0,
        isTransient: true);

    private RedisKey List(string member) => _prefix + "q:" + member;

    private async Task<RedisResult> RunAsync(string script, RedisKey[] keys, RedisValue[] values)
    {
        try
        {
            return await Db.ScriptEvaluateAsync(script, keys, values).ConfigureAwait(false);
        }
        catch (RedisException ex)
        {
            throw Unavailable(ex);
        }
    }
}
