using System.Diagnostics.Metrics;

namespace TargetProfileUpdate.Redis.Diagnostics;

/// <summary>
/// The package's one <see cref="Meter"/>, named <c>TargetProfileUpdate.Redis</c>. Tags come from fixed sets
/// (limiter: quota or bulk; decision: local_granted, local_refused or refused_closed; problem: authentication or wrong_type).
/// </summary>
internal sealed class RedisLimitTelemetry
{
    public const string Name = "TargetProfileUpdate.Redis";

    private static readonly Meter SharedMeter = new(Name);

    public RedisLimitTelemetry(IMeterFactory? meterFactory)
    {
        Meter meter = meterFactory?.Create(new MeterOptions(Name)) ?? SharedMeter;
        Outages = meter.CreateCounter<long>("target.profile_update.redis.outages", "{outage}", "Times Redis became unavailable to the shared account limits.");
        Misconfigurations = meter.CreateCounter<long>("target.profile_update.redis.misconfigurations", "{problem}", "Times Redis answered but could not be used as configured (authentication failed, a key of the wrong type), by problem.");
        UnsharedDecisions = meter.CreateCounter<long>("target.profile_update.redis.unshared_decisions", "{permit}", "Permits decided without Redis while it was unavailable, by limiter and decision.");
    }

    public Counter<long> Outages { get; }

    public Counter<long> UnsharedDecisions { get; }

    public Counter<long> Misconfigurations { get; }
}
