using System;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;
using TargetProfileUpdate.Redis.Diagnostics;

namespace TargetProfileUpdate.Redis.RateLimiting;

/// <summary>
/// One account's Redis connection and its health, shared by that account's limiters: an outage is noticed once,
/// logged once and counted once, however many permits are in flight and whichever limiter saw it first.
/// </summary>
internal sealed class RedisLimitBackend : IAsyncDisposable
{
    private const int Available = 0;
    private const int Unavailable = 1;

    private readonly object _connectGate = new();
    private readonly ConfigurationOptions? _configuration;
    private readonly IConnectionMultiplexer? _shared;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly TimeSpan _connectTimeout;
    private Task<IConnectionMultiplexer>? _connecting;
    private int _state;
    private int _probing;
    private long _unavailableSince;
    private long _nextProbe;
    private int _misconfigurationsLogged;
    private RedisMisconfiguration? _authenticationFailure;

    public RedisLimitBackend(
        ConfigurationOptions? configuration,
        IConnectionMultiplexer? shared,
        RedisUnavailableBehavior behavior,
        TimeSpan operationTimeout,
        TimeSpan retryInterval,
        ILogger logger,
        RedisLimitTelemetry telemetry,
        TimeProvider time)
    {
        Debug.Assert(configuration is not null ^ shared is not null, "Exactly one connection source.");
        _configuration = configuration;
        _shared = shared;
        Behavior = behavior;
        OperationTimeout = operationTimeout;
        RetryInterval = retryInterval;
        _logger = logger;
        Telemetry = telemetry;
        _time = time;
        if (configuration is not null)
        {
            // Connect in the background at once, so the first permits rarely wait for it; the first permit that
            // does wait may wait up to the connection's own connect timeout (a one-off), not the short operation timeout.
            _connectTimeout = TimeSpan.FromMilliseconds(Math.Max(operationTimeout.TotalMilliseconds, configuration.ConnectTimeout));
            _ = ConnectAsync();
        }
    }

    public RedisUnavailableBehavior Behavior { get; }

    public TimeSpan OperationTimeout { get; }

    public TimeSpan RetryInterval { get; }

    public RedisLimitTelemetry Telemetry { get; }

    public bool IsAvailable => Volatile.Read(ref _state) == Available;

    /// <summary>
    /// Whether this call should try Redis: always while it is available; while it is not, one caller per
    /// <see cref="RetryInterval"/> (the probe), so the others decide at once instead of waiting for a timeout.
    /// A caller that gets <see langword="true"/> must report the outcome with <see cref="Succeeded"/> or <see cref="Failed"/>.
    /// </summary>
    public bool ShouldTry(out bool isProbe)
    {
        isProbe = false;
        if (IsAvailable)
        {
            return true;
        }

        if (_time.GetTimestamp() < Volatile.Read(ref _nextProbe) || Interlocked.CompareExchange(ref _probing, 1, 0) != 0)
        {
            return false;
        }

        isProbe = true;
        return true;
    }

    /// <summary>Runs the script with the operation timeout (the initial connection may take up to its connect timeout). Throws <see cref="RedisException"/> or <see cref="TimeoutException"/> when Redis is unavailable.</summary>
    public async Task<RedisResult> EvaluateAsync(RedisKey[] keys, RedisValue[] values, CancellationToken cancellationToken)
    {
        Task<IConnectionMultiplexer> connecting = ConnectAsync();
        IConnectionMultiplexer connection = connecting.IsCompletedSuccessfully
            ? connecting.Result
            : await connecting.WaitAsync(_connectTimeout, _time, cancellationToken).ConfigureAwait(false);

        return await connection.GetDatabase()
            .ScriptEvaluateAsync(RollingWindowScript.Source, keys, values)
            .WaitAsync(OperationTimeout, _time, cancellationToken)
            .ConfigureAwait(false);
    }

    public void Succeeded(bool isProbe)
    {
        Volatile.Write(ref _misconfigurationsLogged, 0);
        if (Interlocked.CompareExchange(ref _state, Available, Unavailable) == Unavailable)
        {
            TimeSpan outage = _time.GetElapsedTime(Volatile.Read(ref _unavailableSince));
            Log.Available(_logger, outage.TotalMilliseconds);
        }

        if (isProbe)
        {
            Volatile.Write(ref _probing, 0);
        }
    }

    public void Failed(bool isProbe, Exception error)
    {
        Volatile.Write(ref _nextProbe, _time.GetTimestamp() + (long)(RetryInterval.TotalSeconds * _time.TimestampFrequency));
        if (Interlocked.CompareExchange(ref _state, Unavailable, Available) == Available)
        {
            Volatile.Write(ref _unavailableSince, _time.GetTimestamp());
            Telemetry.Outages.Add(1);
            if (_logger.IsEnabled(LogLevel.Warning))
            {
                LogUnavailable(error);
            }
        }

        if (isProbe)
        {
            Volatile.Write(ref _probing, 0);
        }
    }

    private void LogUnavailable(Exception error) =>
        Log.Unavailable(
            _logger,
            error.GetType().Name,
            Behavior == RedisUnavailableBehavior.FailClosed ? "refusing them (fail closed)" : "a local limiter per process (fail open)",
            RetryInterval.TotalMilliseconds);

    public void ReleaseProbe() => Volatile.Write(ref _probing, 0);

    /// <summary>Logs a configuration problem once per kind until Redis next answers a permit.</summary>
    public void Misconfigured(RedisMisconfiguration problem)
    {
        int bit = 1 << (int)problem.Kind;
        int seen = Volatile.Read(ref _misconfigurationsLogged);
        if ((seen & bit) == 0 && Interlocked.CompareExchange(ref _misconfigurationsLogged, seen | bit, seen) == seen)
        {
            Telemetry.Misconfigurations.Add(1, new System.Collections.Generic.KeyValuePair<string, object?>("problem", problem.Tag));
            Log.Misconfigured(_logger, problem.Tag, problem.Advice);
        }
    }

    public async ValueTask DisposeAsync()
    {
        // A multiplexer from the application is the application's to close.
        Task<IConnectionMultiplexer>? connecting;
        lock (_connectGate)
        {
            connecting = _shared is null ? _connecting : null;
            _connecting = null;
        }

        if (connecting is { IsCompletedSuccessfully: true })
        {
            await connecting.Result.DisposeAsync().ConfigureAwait(false);
        }
        else if (connecting is not null)
        {
            _ = connecting.ContinueWith(
                static t => t.Result.Dispose(),
                CancellationToken.None,
                TaskContinuationOptions.OnlyOnRanToCompletion | TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
        }
    }

    private Task<IConnectionMultiplexer> ConnectAsync()
    {
        if (_shared is not null)
        {
            return Task.FromResult(_shared);
        }

        lock (_connectGate)
        {
            // A connection attempt that failed outright (not merely a server that is down: the multiplexer keeps
            // reconnecting on its own then) is started again on the next call.
            if (_connecting is null || _connecting.IsFaulted || _connecting.IsCanceled)
            {
                _connecting = ConnectCoreAsync(_configuration!);
            }

            return _connecting;
        }
    }

    private async Task<IConnectionMultiplexer> ConnectCoreAsync(ConfigurationOptions configuration)
    {
        // The connect log is kept: an authentication failure during the connect itself happens before the handler below
        // can see it, and the first permit would then take the refused credentials for an outage (and fail open).
        using var log = new System.IO.StringWriter(System.Globalization.CultureInfo.InvariantCulture);
        ConnectionMultiplexer connection = await ConnectionMultiplexer.ConnectAsync(configuration, log).ConfigureAwait(false);
        if (!connection.IsConnected && RedisMisconfiguration.MentionsAuthenticationFailure(log.ToString()))
        {
            Volatile.Write(ref _authenticationFailure, RedisMisconfiguration.Authentication);
        }

        connection.ConnectionFailed += (_, e) =>
        {
            if (e.FailureType == ConnectionFailureType.AuthenticationFailure)
            {
                Volatile.Write(ref _authenticationFailure, RedisMisconfiguration.Authentication);
            }
        };
        connection.ConnectionRestored += (_, _) => Volatile.Write(ref _authenticationFailure, null);
        return connection;
    }

    /// <summary>Gets the authentication failure Redis last reported for this connection, until it connects again.</summary>
    public RedisMisconfiguration? AuthenticationFailure => Volatile.Read(ref _authenticationFailure);

    /// <summary>Remembers an authentication failure seen in a command's error.</summary>
    public void RecordAuthenticationFailure() => Volatile.Write(ref _authenticationFailure, RedisMisconfiguration.Authentication);
}
