using System.Reflection;
using Microsoft.Extensions.Logging;
using TargetProfileUpdate.Http;

namespace TargetProfileUpdate.Tests.Diagnostics;

/// <summary>
/// Issue 19: event ids 30/31 were both the configuration reload's (<c>AccountReloadRefused</c>/<c>AccountReloadInvalid</c>)
/// and the bulk batch endpoint's (<c>BulkBatchAccepted</c>/<c>BulkBatchFailed</c>), and 101 both the linter's and the
/// delivery worker's, so a log filter or alert on an id caught the wrong event. Every id in the assembly is now unique.
/// </summary>
public sealed class EventIdTests
{
    [Fact]
    public void EventIds_OfEveryLoggerMessageAndEveryEndpoint_AreUniqueInTheAssembly()
    {
        var events = AllEvents();

        var clashes = events.GroupBy(e => e.Id.Id).Where(g => g.Count() > 1)
            .Select(g => g.Key + ": " + string.Join(", ", g.Select(e => e.Where + "." + e.Id.Name)))
            .ToList();
        Assert.True(clashes.Count == 0, "Event ids used twice: " + string.Join("; ", clashes));
    }

    [Fact]
    public void EventNames_OfEveryLoggerMessageAndEveryEndpoint_AreUniqueInTheAssembly()
    {
        var events = AllEvents();

        Assert.All(events, e => Assert.False(string.IsNullOrEmpty(e.Id.Name), e.Where + " has no event name"));
        Assert.Equal(events.Count, events.Select(e => e.Id.Name).Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void EventIds_AreFoundForTheKnownSources_SoTheUniquenessTestSeesThem()
    {
        var events = AllEvents();

        // The reflection must see the source-generated messages and the endpoint descriptors, or the tests above prove nothing.
        Assert.Contains(events, e => e.Id.Name == "ProfileUpdateSending");
        Assert.Contains(events, e => e.Id.Name == "AccountReloadRefused");
        Assert.Contains(events, e => e.Id.Name == "AccountReloadInvalid");
        Assert.Contains(events, e => e.Id.Name == "BulkBatchAccepted" && e.Id.Id == 30);
        Assert.Contains(events, e => e.Id.Name == "BulkBatchFailed" && e.Id.Id == 31);
        Assert.Contains(events, e => e.Id.Name == "ProfileDeliveryGaveUp");
        Assert.Contains(events, e => e.Id.Name == "ProfileAttributeLintLogFull");
        Assert.Equal(
            typeof(ProfileApiEndpoint).GetFields(BindingFlags.Public | BindingFlags.Static).Count(f => f.FieldType == typeof(ProfileApiEndpoint)) * 2,
            events.Count(e => e.Where.StartsWith(nameof(ProfileApiEndpoint), StringComparison.Ordinal)));
    }

    private static List<(EventId Id, string Where)> AllEvents()
    {
        var events = new List<(EventId Id, string Where)>();
        foreach (var type in typeof(ProfileUpdateClient).Assembly.GetTypes())
        {
            foreach (var method in type.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly))
            {
                if (method.GetCustomAttribute<LoggerMessageAttribute>() is { } attribute)
                {
                    events.Add((new EventId(attribute.EventId, attribute.EventName), type.Name + "." + method.Name));
                }
            }
        }

        foreach (var field in typeof(ProfileApiEndpoint).GetFields(BindingFlags.Public | BindingFlags.Static))
        {
            if (field.GetValue(null) is ProfileApiEndpoint endpoint)
            {
                events.Add((endpoint.SucceededEventId, nameof(ProfileApiEndpoint) + "." + field.Name));
                events.Add((endpoint.FailedEventId, nameof(ProfileApiEndpoint) + "." + field.Name));
            }
        }

        return events;
    }
}
