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
/// may be refused up to one bucket early). Two more fields keep a call cheap whatever the window: <c>t</c>, the permits
/// in the live buckets, and <c>o</c>, the oldest bucket that may still hold any. A call steps <c>o</c> forward over the
/// buckets that left the window, subtracting and deleting them; each bucket is stepped over once, so a grant costs
/// O(1) amortised rather than O(buckets). After a long idle gap it recounts the few fields left instead. A refusal walks
/// from <c>o</c> to the first bucket whose expiry frees enough permits, and moves <c>o</c> past the empty ones.
/// The key's TTL is renewed on every grant: a hash holds at most window/bucket + 3 fields, and every key expires once
/// traffic stops.
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
        local state = redis.call('HMGET', key, 't', 'o')
        local total = tonumber(state[1]) or 0
        local from = tonumber(state[2]) or oldest
        if from < oldest then
          if oldest - from > redis.call('HLEN', key) then
            total = 0
            local fields = redis.call('HGETALL', key)
            local expired = {}
            for i = 1, #fields, 2 do
              local b = tonumber(fields[i])
              if b then
                if b < oldest then
                  expired[#expired + 1] = fields[i]
                else
                  total = total + tonumber(fields[i + 1])
                end
              end
            end
            local i = 1
            while i <= #expired do
              local j = math.min(i + 999, #expired)
              redis.call('HDEL', key, unpack(expired, i, j))
              i = j + 1
            end
          else
            for b = from, oldest - 1 do
              local c = redis.call('HGET', key, b)
              if c then
                total = total - tonumber(c)
                redis.call('HDEL', key, b)
              end
            end
          end
          from = oldest
          if redis.call('EXISTS', key) == 1 then
            redis.call('HSET', key, 't', total, 'o', from)
          end
        end
        if (permits == 0 and total < limit) or (permits > 0 and total + permits <= limit) then
          if permits > 0 then
            redis.call('HINCRBY', key, current, permits)
            redis.call('HSET', key, 't', total + permits, 'o', from)
            redis.call('PEXPIRE', key, (buckets + 2) * bucketMs)
          end
          return { 1, 0, total + permits }
        end
        local need = total + permits - limit
        if permits == 0 then need = total - limit + 1 end
        local freed = 0
        local first = nil
        local leaves = current + buckets + 1
        for b = from, current do
          local c = redis.call('HGET', key, b)
          if c then
            if not first then first = b end
            freed = freed + tonumber(c)
            if freed >= need then
              leaves = b + buckets + 1
              break
            end
          end
        end
        if first and first > from then
          redis.call('HSET', key, 'o', first)
        end
        local retry = leaves * bucketMs - nowMs
        if retry < 1 then retry = 1 end
        return { 0, retry, total }
        """;
}
