using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;

namespace TargetProfileUpdate.Redis.Tests.TestSupport;

/// <summary>
/// A minimal service provider for <see cref="RedisAccountLimits"/>: a logger factory that records every message, and a
/// meter factory whose meters belong to this test alone, with a listener that sums every counter by name.
/// </summary>
public sealed class TestServices : IServiceProvider, IDisposable
{
    private readonly RecordingLoggerFactory _loggers = new();
    private readonly TestMeterFactory _meters = new();
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<string, long> _counters = new();

    public TestServices()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (_meters.Owns(instrument.Meter))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            string name = instrument.Name;
            foreach (KeyValuePair<string, object?> tag in tags)
            {
                name += $"|{tag.Key}={tag.Value}";
            }

            _counters.AddOrUpdate(name, value, (_, sum) => sum + value);
            if (name != instrument.Name)
            {
                _counters.AddOrUpdate(instrument.Name, value, (_, sum) => sum + value);
            }
        });
        _listener.Start();
    }

    public IReadOnlyList<(LogLevel Level, EventId Id, string Message)> Logs => _loggers.Entries;

    public long Counter(string name) => _counters.TryGetValue(name, out long value) ? value : 0;

    public object? GetService(Type serviceType) =>
        serviceType == typeof(ILoggerFactory) ? _loggers
        : serviceType == typeof(IMeterFactory) ? _meters
        : null;

    public void Dispose()
    {
        _listener.Dispose();
        _meters.Dispose();
    }

    private sealed class TestMeterFactory : IMeterFactory
    {
        private readonly ConcurrentBag<Meter> _created = [];

        public Meter Create(MeterOptions options)
        {
            var meter = new Meter(options.Name, options.Version, options.Tags, scope: this);
            _created.Add(meter);
            return meter;
        }

        public bool Owns(Meter meter) => ReferenceEquals(meter.Scope, this);

        public void Dispose()
        {
            foreach (Meter meter in _created)
            {
                meter.Dispose();
            }
        }
    }

    private sealed class RecordingLoggerFactory : ILoggerFactory
    {
        private readonly ConcurrentQueue<(LogLevel, EventId, string)> _entries = new();

        public IReadOnlyList<(LogLevel Level, EventId Id, string Message)> Entries => [.. _entries];

        public void AddProvider(ILoggerProvider provider) => throw new NotSupportedException();

        public ILogger CreateLogger(string categoryName) => new Logger(_entries);

        public void Dispose()
        {
        }

        private sealed class Logger(ConcurrentQueue<(LogLevel, EventId, string)> entries) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                entries.Enqueue((logLevel, eventId, formatter(state, exception) + (exception is null ? "" : " | " + exception)));
        }
    }
}
