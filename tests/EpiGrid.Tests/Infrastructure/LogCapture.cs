using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace EpiGrid.Tests.Infrastructure;

/// <summary>Keeps every log line (Information and above) of the hosts it is added to, for searching afterwards.</summary>
public sealed class LogCapture : ILoggerProvider
{
    public ConcurrentQueue<string> Lines { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose() { }

    sealed class Logger(LogCapture capture, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel)) capture.Lines.Enqueue($"{category}: {formatter(state, exception)} {exception}");
        }
    }
}
