using System.Diagnostics.Metrics;
using System.Globalization;
using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using TargetProfileUpdate.Diagnostics;

namespace TargetProfileUpdate.Tests.TestSupport;

/// <summary>
/// A <see cref="MetricCollector{T}"/> on every instrument of the SDK's meter, scoped to the container's
/// <see cref="IMeterFactory"/> (register it with <c>services.AddMetrics()</c>): other tests' clients are not counted.
/// The instruments are read from the container's <see cref="ProfileApiInstruments"/>, so a new instrument is collected without a change here.
/// </summary>
public sealed class SdkMetrics : IDisposable
{
    private readonly List<IDisposable> _collectors = [];
    private readonly List<Func<IEnumerable<(string Instrument, double Value, string Tags)>>> _snapshots = [];

    public SdkMetrics(IServiceProvider services)
    {
        MeterFactory = services.GetRequiredService<IMeterFactory>();
        Telemetry = services.GetRequiredService<ProfileApiInstruments>();
        foreach (var property in typeof(ProfileApiInstruments).GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (!typeof(Instrument).IsAssignableFrom(property.PropertyType))
            {
                continue;
            }

            var instrumentType = property.PropertyType;
            while (!instrumentType.IsGenericType || instrumentType.GetGenericTypeDefinition() != typeof(Instrument<>))
            {
                instrumentType = instrumentType.BaseType!;
            }

            string name = ((Instrument)property.GetValue(Telemetry)!).Name;
            var valueType = instrumentType.GetGenericArguments()[0];
            if (valueType == typeof(long))
            {
                Add<long>(name);
            }
            else if (valueType == typeof(int))
            {
                Add<int>(name);
            }
            else if (valueType == typeof(double))
            {
                Add<double>(name);
            }
            else
            {
                throw new NotSupportedException("Add a collector for instruments of " + valueType + " (" + name + ").");
            }
        }

        Assert.NotEmpty(_collectors);
    }

    /// <summary>The factory the collectors are scoped to.</summary>
    public IMeterFactory MeterFactory { get; }

    /// <summary>The container's telemetry singleton, whose instruments are collected.</summary>
    internal ProfileApiInstruments Telemetry { get; }

    /// <summary>Every measurement so far, as instrument name, value and its tags written <c>key=value</c>, comma-separated.</summary>
    public IReadOnlyList<(string Instrument, double Value, string Tags)> Measurements => [.. _snapshots.SelectMany(s => s())];

    public void Dispose() => _collectors.ForEach(c => c.Dispose());

    private void Add<T>(string instrument)
        where T : struct
    {
        var collector = new MetricCollector<T>(MeterFactory, ProfileApiTelemetry.MeterName, instrument);
        _collectors.Add(collector);
        _snapshots.Add(() => collector.GetMeasurementSnapshot().Select(m => (
            instrument,
            Convert.ToDouble(m.Value, CultureInfo.InvariantCulture),
            string.Join(",", m.Tags.Select(t => t.Key + "=" + t.Value)))));
    }
}
