using System;
using System.Collections.Concurrent;
using System.Threading;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TargetProfileUpdate.DependencyInjection;
using TargetProfileUpdate.Diagnostics;
using TargetProfileUpdate.Suppression;

namespace TargetProfileUpdate.Delivery;

/// <summary>
/// Delivery assurance of one account (a keyed singleton): its options, pending store, existence cache, the account's plain
/// update client (<see cref="Inner"/>, the one send path of direct and deferred updates), the fetch client, and the sampled
/// updates waiting to be read back with the running verification counts that the health check reads.
/// </summary>
internal sealed class DeliveryAccount
{
    /// <summary>Sampled updates waiting to be read back, at most; beyond it a sample is skipped (it is a sample).</summary>
    public const int MaxQueuedVerifications = 100_000;

    private readonly ConcurrentQueue<(ProfileUpdate Update, DateTimeOffset SentAt)> _toVerify = new();
    private readonly ILogger _suppressionLogger;
    private readonly ProfileApiInstruments _instruments;
    private readonly long[] _verified = new long[Enum.GetValues<VerificationOutcome>().Length];
    private int _queuedVerifications;
    private long _accepted;

    public DeliveryAccount(IServiceProvider services, string name, IProfileUpdateClient inner)
    {
        Name = name;
        AccountTag = DeliveryTelemetry.AccountTag(name);
        Options = services.GetRequiredService<IOptionsMonitor<ProfileDeliveryOptions>>().Get(name);
        var account = services.GetRequiredKeyedService<TargetAccount>(name);
        Time = account.Time;
        Logger = account.LoggerFactory.CreateLogger("TargetProfileUpdate.Delivery");
        Inner = inner;
        Suppression = account.Suppression;
        _suppressionLogger = account.SuppressionLogger;
        _instruments = account.Telemetry;
        Fetch = services.GetRequiredKeyedService<IProfileFetchClient>(name);
        Store = services.GetKeyedService<IProfileDeliveryStore>(name) ?? new InMemoryProfileDeliveryStore(Options.MaxPendingUpdates);
        Telemetry = services.GetRequiredService<DeliveryTelemetry>();
        Existence = new ExistenceCache(Fetch, Time, Options.ExistenceCacheTtl, Options.ExistenceCacheSize);
        var tag = DeliveryTelemetry.Account(AccountTag);
        Existence.Fetched += exists => Telemetry.ExistenceChecks.Add(1, tag, new("result", exists ? "exists" : "missing"));
    }

    public string Name { get; }

    /// <summary>The account's suppression list: checked before an update is held and before a held one is re-checked.</summary>
    public ISuppressionList Suppression { get; }

    public string AccountTag { get; }

    public ProfileDeliveryOptions Options { get; }

    public TimeProvider Time { get; }

    public ILogger Logger { get; }

    /// <summary>The account's plain client: every update, direct or deferred, is sent through it.</summary>
    public IProfileUpdateClient Inner { get; }

    public IProfileFetchClient Fetch { get; }

    public IProfileDeliveryStore Store { get; }

    public ExistenceCache Existence { get; }

    public DeliveryTelemetry Telemetry { get; }

    public int QueuedVerifications => Volatile.Read(ref _queuedVerifications);

    /// <summary>Counts an accepted update and queues every (1/rate)-th one for a read-back after <see cref="ProfileDeliveryOptions.VerifyAfter"/>.</summary>
    /// <summary>Counts and logs one refusal for a suppressed profile (never the id).</summary>
    public void CountSuppressed(string source) => SuppressionGuard.Record(_instruments, _suppressionLogger, source);

    public void Sample(ProfileUpdate update)
    {
        double rate = Options.VerifySampleRate;
        if (rate <= 0)
        {
            return;
        }

        long n = Interlocked.Increment(ref _accepted);
        if ((long)(n * rate) == (long)((n - 1) * rate))
        {
            return;
        }

        if (Interlocked.Increment(ref _queuedVerifications) > MaxQueuedVerifications)
        {
            Interlocked.Decrement(ref _queuedVerifications);
            return;
        }

        _toVerify.Enqueue((update, Time.GetUtcNow()));
    }

    /// <summary>Takes the next sampled update whose read-back is due.</summary>
    public bool TryTakeDueVerification(DateTimeOffset now, out (ProfileUpdate Update, DateTimeOffset SentAt) item)
    {
        if (_toVerify.TryPeek(out item) && item.SentAt + Options.VerifyAfter <= now && _toVerify.TryDequeue(out item))
        {
            Interlocked.Decrement(ref _queuedVerifications);
            return true;
        }

        item = default;
        return false;
    }

    public void CountVerified(VerificationOutcome outcome) => Interlocked.Increment(ref _verified[(int)outcome]);

    public long Verified(VerificationOutcome outcome) => Interlocked.Read(ref _verified[(int)outcome]);
}
