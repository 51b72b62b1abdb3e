namespace TargetProfileUpdate.Redis.Delivery;

/// <summary>
/// The Lua scripts of <see cref="RedisProfileDeliveryStore"/>: each step is one atomic script, so two instances can never
/// both hold a claim on one id. Keys (one account, one hash slot): <c>due</c> (id hash → due time, ms), <c>age</c>
/// (id hash → deferral time of its oldest update), <c>owner</c> (id hash → claim token), <c>count</c> (updates pending),
/// and one list per id, <c>q:{id hash}</c>, oldest first.
/// </summary>
internal static class DeliveryScripts
{
    /// <summary>KEYS: list, count. ARGV: item, capacity. Returns 1 appended, 0 not pending, -1 full.</summary>
    public const string AppendIfPending = """
        if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
        if tonumber(redis.call('GET', KEYS[2]) or '0') >= tonumber(ARGV[2]) then return -1 end
        redis.call('RPUSH', KEYS[1], ARGV[1])
        redis.call('INCR', KEYS[2])
        return 1
        """;

    /// <summary>KEYS: list, due, age, count. ARGV: item, due ms, member, deferred ms, capacity. Returns 1 added, -1 full.</summary>
    public const string Add = """
        if tonumber(redis.call('GET', KEYS[4]) or '0') >= tonumber(ARGV[5]) then return -1 end
        local existed = redis.call('EXISTS', KEYS[1])
        redis.call('RPUSH', KEYS[1], ARGV[1])
        redis.call('INCR', KEYS[4])
        if existed == 0 then
          redis.call('ZADD', KEYS[2], 'NX', ARGV[2], ARGV[3])
          redis.call('ZADD', KEYS[3], 'NX', ARGV[4], ARGV[3])
        end
        return 1
        """;

    /// <summary>KEYS: due, owner, age. ARGV: now ms, max, claim timeout ms, token, list prefix.
    /// Returns a flat array: member, token, items (an array), per claimed id.</summary>
    public const string Claim = """
        local members = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
        local out = {}
        for _, m in ipairs(members) do
          local items = redis.call('LRANGE', ARGV[5] .. m, 0, -1)
          if #items == 0 then
            redis.call('ZREM', KEYS[1], m)
            redis.call('ZREM', KEYS[3], m)
            redis.call('HDEL', KEYS[2], m)
          else
            redis.call('ZADD', KEYS[1], tonumber(ARGV[1]) + tonumber(ARGV[3]), m)
            local token = ARGV[4] .. ':' .. m
            redis.call('HSET', KEYS[2], m, token)
            table.insert(out, m)
            table.insert(out, token)
            table.insert(out, items)
          end
        end
        return out
        """;

    /// <summary>KEYS: owner, age, count. ARGV: member, token, n, list prefix. Returns how many were removed, -1 when the claim is lost.</summary>
    public const string Remove = """
        if redis.call('HGET', KEYS[1], ARGV[1]) ~= ARGV[2] then return -1 end
        local list = ARGV[4] .. ARGV[1]
        local removed = 0
        for i = 1, tonumber(ARGV[3]) do
          if redis.call('LPOP', list) then removed = removed + 1 end
        end
        redis.call('DECRBY', KEYS[3], removed)
        local head = redis.call('LINDEX', list, 0)
        if head then
          redis.call('ZADD', KEYS[2], tonumber(string.match(head, '^(%d+)|')), ARGV[1])
        else
          redis.call('ZREM', KEYS[2], ARGV[1])
        end
        return removed
        """;

    /// <summary>KEYS: due, owner, age. ARGV: member, token, check ms, list prefix. Returns 1 released, 0 not held.</summary>
    public const string Release = """
        if redis.call('HGET', KEYS[2], ARGV[1]) ~= ARGV[2] then return 0 end
        redis.call('HDEL', KEYS[2], ARGV[1])
        if redis.call('LLEN', ARGV[4] .. ARGV[1]) > 0 then
          redis.call('ZADD', KEYS[1], ARGV[3], ARGV[1])
        else
          redis.call('ZREM', KEYS[1], ARGV[1])
          redis.call('ZREM', KEYS[3], ARGV[1])
        end
        return 1
        """;
}
