using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace TargetProfileUpdate.Tests.TestSupport;

/// <summary>Captures every log entry of every category at every level, with its exception text.</summary>
public sealed class CapturingLoggerProvider : ILoggerProvider
{
    public ConcurrentQueue<(string Category, LogLevel Level, EventId EventId, string Text)> Entries { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(CapturingLoggerProvider owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            string text = formatter(state, exception) + " | state: " + state + (exception is null ? string.Empty : " | exception: " + exception);
            owner.Entries.Enqueue((category, logLevel, eventId, text));
        }
    }
}
