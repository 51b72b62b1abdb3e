using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using StackExchange.Redis;
using TargetProfileUpdate.Emulator;
using TargetProfileUpdate.Redis.Tests.TestSupport;
using TargetProfileUpdate.Tests.TestSupport;

namespace TargetProfileUpdate.Redis.Tests.Delivery;

/// <summary>
/// Held updates' ids and values never reach logs, exceptions, metrics, traces, health data or Redis key names (which
/// StackExchange.Redis puts in its own exception messages), through a whole life: deferred, re-checked while missing,
/// delivered, given up, and refused while Redis is down. Owns its Redis, because it kills it.
/// </summary>
[Trait("Category", "Slow")]
public sealed class RedisDeliveryPrivacyTests
{
    private const string NeverId = "john.roe-4410@example.com";
    private const string NeverValue = "Gold Member Since 1999";
    private const string RefusedId = "mary.major-0042@example.com";

    private static readonly DateTimeOffset Start = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    private static readonly string[] MoreSecrets =
        [NeverId, Uri.EscapeDataString(NeverId), NeverValue, Uri.EscapeDataString(NeverValue), RefusedId, Uri.EscapeDataString(RefusedId)];

    [Fact]
    public async Task DeferredUpdates_ThroughDeferRecheckDeliverGiveUpAndRedisOutage_NeverLeakIdsOrValues()
    {
        using var redis = new RedisServer();
        var time = new FakeTimeProvider(Start);
        await using var emulator = await TargetEmulator.StartAsync(new TargetEmulatorOptions { TimeProvider = time, PropagationDelay = TimeSpan.Zero });
        using var logs = new FakeLoggerProvider(new FakeLogCollector());
        var gaveUp = new ConcurrentQueue<UndeliverableProfileUpdate>();
        string prefix = $"test:{Guid.NewGuid():N}:{{{{clientCode}}}}:delivery:";
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(time);
        services.AddLogging(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Trace));
        services.AddMetrics();
        services.AddTargetProfileUpdate(o =>
        {
            RedisClients.Configure(o, emulator.BaseAddress, emulator.ClientCode);
            o.Resilience.MaxRetryAttempts = 0;
        })
            .UseDeliveryAssurance(o =>
            {
                o.UnknownProfiles = UnknownProfileHandling.Defer;
                o.GiveUpAfter = TimeSpan.FromHours(2);
                o.OnGiveUp = (item, _) =>
                {
                    gaveUp.Enqueue(item);
                    return Task.CompletedTask;
                };
            })
            .UseRedisDeliveryStore(o =>
            {
                o.ConnectionString = redis.ConnectionString;
                o.KeyPrefix = prefix;
            });
        services.AddHealthChecks().AddTargetProfileUpdate();
        await using var provider = services.BuildServiceProvider();
        using var telemetry = new Telemetry(provider.GetRequiredService<IMeterFactory>());
        var client = provider.GetRequiredService<IProfileUpdateClient>();
        var worker = provider.GetRequiredKeyedService<ProfileDeliveryWorker>(string.Empty);
        var health = provider.GetRequiredService<HealthCheckService>();
        var texts = new List<string>();

        // Deferred: neither profile exists yet.
        var delivered = await client.UpdateAsync(PersonalData.Update());
        var never = await client.UpdateAsync(ProfileUpdate.ForThirdPartyId(NeverId).Set("segment", NeverValue));

        // Every key the store holds while both wait, as StackExchange.Redis would name it in a timeout or connection message.
        var keys = await KeysAsync(redis, prefix.Replace("{{clientCode}}", "{" + emulator.ClientCode + "}", StringComparison.Ordinal));

        // Re-checked while still missing, then delivered once the profile exists, then the other one given up.
        time.Advance(TimeSpan.FromMinutes(16));
        var stillMissing = await worker.RunOnceAsync();
        emulator.SeedProfile(thirdPartyId: PersonalData.Id);
        time.Advance(TimeSpan.FromMinutes(16));
        var delivery = await worker.RunOnceAsync();
        var pendingHealth = await health.CheckHealthAsync();
        time.Advance(TimeSpan.FromHours(2));
        var giveUp = await worker.RunOnceAsync();

        // Redis down: a new deferral and a re-check fail, and say why without the update.
        await client.UpdateAsync(ProfileUpdate.ForThirdPartyId(RefusedId).Set("segment", PersonalData.Value));
        redis.Kill();
        var refused = await Assert.ThrowsAnyAsync<ProfileApiException>(() => client.UpdateAsync(ProfileUpdate.ForThirdPartyId(RefusedId).Set("segment", NeverValue)));
        var recheck = await Assert.ThrowsAnyAsync<ProfileApiException>(() => worker.RunOnceAsync());
        var outageHealth = await health.CheckHealthAsync();

        Assert.Equal(ProfileUpdateDelivery.Deferred, delivered.Delivery);
        Assert.Equal(ProfileUpdateDelivery.Deferred, never.Delivery);
        Assert.Equal(0, stillMissing.Delivered);
        Assert.Equal(1, delivery.Delivered);
        Assert.Equal(1, giveUp.GaveUp);
        Assert.Equal(NeverId, Assert.Single(gaveUp).Update.Id.Value);
        Assert.NotEmpty(keys);
        Assert.Equal(2, keys.Count(k => k.Contains(":q:", StringComparison.Ordinal)));
        Assert.Contains(logs.Collector.GetSnapshot(), r => r.Id.Name == "ProfileDeliveryGaveUp");
        Assert.True(telemetry.Measurements.Count(m => m.StartsWith("target.profile_delivery.deferred", StringComparison.Ordinal)) >= 2);
        Assert.Contains(telemetry.Activities, a => a.StartsWith("TargetProfileUpdate.Fetch", StringComparison.Ordinal));
        Assert.True(refused.IsTransient);
        Assert.Equal(0, refused.Attempts);

        texts.AddRange(logs.Collector.GetSnapshot().Select(Text));
        texts.AddRange(keys);
        texts.Add(refused.ToString());
        texts.Add(recheck.ToString());
        texts.AddRange(telemetry.Measurements);
        texts.AddRange(telemetry.Activities);
        texts.AddRange(HealthTexts(pendingHealth));
        texts.AddRange(HealthTexts(outageHealth));
        PersonalData.AssertAbsentFrom(texts);
        foreach (string text in texts)
        {
            foreach (string secret in MoreSecrets)
            {
                Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
            }
        }
    }

    private static async Task<List<string>> KeysAsync(RedisServer redis, string prefix)
    {
        await using ConnectionMultiplexer admin = await Limits.AdminAsync(redis);
        return [.. (await Limits.KeysAsync(admin, prefix)).Keys];
    }

    private static string Text(FakeLogRecord record) =>
        $"{record.Category} {record.Message} | {string.Join(", ", record.StructuredState?.Select(p => p.Key + "=" + p.Value) ?? [])}"
        + (record.Exception is null ? string.Empty : " | " + record.Exception);

    private static IEnumerable<string> HealthTexts(HealthReport report) =>
        report.Entries.SelectMany(e => e.Value.Data.Select(d => e.Key + " " + d.Key + "=" + d.Value)
            .Append(e.Value.Description ?? string.Empty)
            .Append(e.Value.Exception?.ToString() ?? string.Empty));

    /// <summary>Every measurement of this provider's meters and every TargetProfileUpdate activity, as searchable text.</summary>
    private sealed class Telemetry : IDisposable
    {
        private readonly MeterListener _meters = new();
        private readonly ActivityListener _activities;
        private readonly ConcurrentQueue<string> _measurements = new();
        private readonly ConcurrentQueue<string> _spans = new();

        public Telemetry(IMeterFactory factory)
        {
            _meters.InstrumentPublished = (instrument, listener) =>
            {
                if (ReferenceEquals(instrument.Meter.Scope, factory))
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _meters.SetMeasurementEventCallback<long>((i, v, tags, _) => Record(i, v, tags));
            _meters.SetMeasurementEventCallback<int>((i, v, tags, _) => Record(i, v, tags));
            _meters.SetMeasurementEventCallback<double>((i, v, tags, _) => Record(i, v, tags));
            _meters.Start();
            _activities = new ActivityListener
            {
                ShouldListenTo = source => source.Name.StartsWith("TargetProfileUpdate", StringComparison.Ordinal),
                Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
                ActivityStopped = a => _spans.Enqueue(
                    a.OperationName + " " + a.DisplayName + " " + a.StatusDescription + " "
                    + string.Join(", ", a.TagObjects.Select(t => t.Key + "=" + t.Value))
                    + string.Join(", ", a.Events.Select(e => e.Name + string.Join(";", e.Tags.Select(t => t.Key + "=" + t.Value))))),
            };
            ActivitySource.AddActivityListener(_activities);
        }

        public IReadOnlyList<string> Measurements => [.. _measurements];

        public IReadOnlyList<string> Activities => [.. _spans];

        public void Dispose()
        {
            _meters.Dispose();
            _activities.Dispose();
        }

        private void Record<T>(Instrument instrument, T value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            string text = instrument.Name + " " + value;
            foreach (var tag in tags)
            {
                text += " " + tag.Key + "=" + tag.Value;
            }

            _measurements.Enqueue(text);
        }
    }
}
