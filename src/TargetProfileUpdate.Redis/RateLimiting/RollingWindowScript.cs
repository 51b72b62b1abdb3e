namespace TargetProfileUpdate.Redis.RateLimiting;

/// <summary>
/// The one Lua script behind every distributed permit. It runs atomically inside Redis, so concurrent callers in any
/// number of processes see each other's grants: a grant is exact, not estimated.
/// </summary>
/// <remarks>
/// <para>
/// State: one hash per limiter (<c>KEYS[1]</c>). A field is a bucket number (milliseconds since the Unix epoch divided
/// by the bucket length, read from Redis <c>TIME</c>: the one clock every process shares, so clock skew between
/// application servers cannot widen or narrow the window); its value is the permits granted in that bucket.
/// </para>
/// <para>
/// A permit counts until its whole bucket has left the window, so the buckets counted are the current one and the
/// <c>ARGV[4]</c> before it. Grants therefore never exceed the limit in any window of the configured length (a caller
/// may be refused up to one bucket early). Fields older than that are deleted on every call and the key's TTL is
/// renewed on every grant: a hash holds at most window/bucket + 1 fields, and every key expires once traffic stops.
/// </para>
/// <para>
/// <c>ARGV</c>: 1 the limit, 2 the permits asked for (0 asks whether any is left, taking none), 3 the bucket length in
/// milliseconds, 4 the buckets per window. Returns <c>{ granted (1 or 0), retry after in ms (0 when granted), permits
/// counted in the window after the call }</c>. Retry after is the time until enough of the oldest buckets leave the
/// window for the request to fit.
/// </para>
/// </remarks>
internal static class RollingWindowScript
{
    public const string Source = """
        if redis.replicate_commands then redis.replicate_commands() end
        local key = KEYS[1]
        local limit = tonumber(ARGV[1])
        local permits = tonumber(ARGV[2])
        local bucketMs = tonumber(ARGV[3])
        local buckets = tonumber(ARGV[4])
        local time = redis.call('TIME')
        local nowMs = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
        local current = math.floor(nowMs / bucketMs)
        local oldest = current - buckets
        local fields = redis.call('HGETALL', key)
        local sum = 0
        local expired = {}
        local live = {}
        local counts = {}
        for i = 1, #fields, 2 do
          local b = tonumber(fields[i])
          if b < oldest then
            expired[#expired + 1] = fields[i]
          else
            local c = tonumber(fields[i + 1])
            sum = sum + c
            live[#live + 1] = b
            counts[b] = c
          end
        end
        local i = 1
        while i <= #expired do
          local j = math.min(i + 999, #expired)
          redis.call('HDEL', key, unpack(expired, i, j))
          i = j + 1
        end
        if (permits == 0 and sum < limit) or (permits > 0 and sum + permits <= limit) then
          if permits > 0 then
            redis.call('HINCRBY', key, current, permits)
            redis.call('PEXPIRE', key, (buckets + 2) * bucketMs)
          end
          return { 1, 0, sum + permits }
        end
        local need = sum + permits - limit
        if permits == 0 then need = sum - limit + 1 end
        table.sort(live)
        local freed = 0
        local leaves = current + 1
        for _, b in ipairs(live) do
          freed = freed + counts[b]
          if freed >= need then
            leaves = b + buckets + 1
            break
          end
        end
        local retry = leaves * bucketMs - nowMs
        if retry < 1 then retry = 1 end
        return { 0, retry, sum }
        """;
}
