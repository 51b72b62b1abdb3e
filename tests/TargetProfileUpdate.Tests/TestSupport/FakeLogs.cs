using System.Globalization;
using Microsoft.Extensions.Logging.Testing;

namespace TargetProfileUpdate.Tests.TestSupport;

/// <summary>What a <see cref="FakeLogCollector"/> holds, as the texts a privacy assertion searches.</summary>
public static class FakeLogs
{
    /// <summary>A provider for every category at every level, its records in <see cref="FakeLoggerProvider.Collector"/>.</summary>
    public static FakeLoggerProvider Provider() => new(new FakeLogCollector());

    /// <summary>Everything a record carries: category, formatted message, every structured state value (the template included) and the exception.</summary>
    public static string Text(this FakeLogRecord record)
    {
        var state = record.StructuredState?.Select(p => p.Key + "=" + p.Value) ?? [];
        return string.Create(CultureInfo.InvariantCulture, $"{record.Category} {record.Message} | state: {record.State} {string.Join(", ", state)}")
            + (record.Exception is null ? string.Empty : " | exception: " + record.Exception);
    }

    /// <summary>The <see cref="Text"/> of every record collected so far.</summary>
    public static IEnumerable<string> Texts(this FakeLogCollector collector) => collector.GetSnapshot().Select(Text);
}
