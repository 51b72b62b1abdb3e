using System.Net.Http;
using TargetProfileUpdate.Testing;

namespace TargetProfileUpdate.Testing.Tests;

/// <summary>
/// Issue 24: the fake was kinder than the real client. It accepted a 100 KB update the client refuses, reported GET and
/// 0 bytes for everything, and kept the caller's live update, so a Set after the call changed what was "sent".
/// (RealClientParityTests compares the fake with the real client on the same scenarios; these pin the fake's own contract.)
/// </summary>
public sealed class FakeStrictnessTests
{
    private static readonly ProfileId Alice = ProfileId.FromThirdPartyId("alice");

    [Fact]
    public async Task UpdateAsync_100KbUpdate_ThrowsTooLargeAndRecordsNothing()
    {
        var fake = new FakeProfileUpdateClient();

        var ex = await Assert.ThrowsAsync<ProfileUpdateTooLargeException>(() => fake.UpdateAsync(new ProfileUpdate(Alice).Set("notes", new string('x', 100_000))));

        Assert.Equal(60000, ex.AllowedBytes);
        Assert.True(ex.ActualBytes > 100_000);
        Assert.Contains("Nothing was sent", ex.Message, StringComparison.Ordinal);
        Assert.Empty(fake.Attempts);
        Assert.Empty(fake.Updates);
    }

    [Fact]
    public async Task UpdateAsync_ReportsTheMethodAndBytesOfTheRealRequest()
    {
        var fake = new FakeProfileUpdateClient();

        var small = await fake.UpdateAsync(new ProfileUpdate(Alice).Set("tier", "gold"));
        var large = await fake.UpdateAsync(new ProfileUpdate(Alice).Set("notes", new string('x', 9000)));

        // GET: the whole URL, https://demo.tt.omtrdc.net/m2/demo/profile/update?mbox3rdPartyId=alice&profile.tier=gold
        Assert.Equal(HttpMethod.Get, small.HttpMethod);
        Assert.Equal("https://demo.tt.omtrdc.net/m2/demo/profile/update?mbox3rdPartyId=alice&profile.tier=gold".Length, small.RequestBytes);
        // POST: the form body, mbox3rdPartyId=alice&profile.notes=xxx…
        Assert.Equal(HttpMethod.Post, large.HttpMethod);
        Assert.Equal("mbox3rdPartyId=alice&profile.notes=".Length + 9000, large.RequestBytes);
        Assert.Equal([(HttpMethod.Get, small.RequestBytes), (HttpMethod.Post, large.RequestBytes)], fake.Updates.Select(u => (u.HttpMethod, u.RequestBytes)));
    }

    [Fact]
    public async Task UpdateAsync_OptionsGiven_UsesTheirUrlMethodAndLimits()
    {
        var fake = new FakeProfileUpdateClient(new TargetProfileUpdateOptions
        {
            ClientCode = "acme",
            BaseAddress = new Uri("http://localhost:5000"),
            Method = ProfileUpdateMethod.Get,
            MaxGetRequestBytes = 100,
        });

        var result = await fake.UpdateAsync(new ProfileUpdate(Alice).Set("a", "1"));
        var ex = await Assert.ThrowsAsync<ProfileUpdateTooLargeException>(() => fake.UpdateAsync(new ProfileUpdate(Alice).Set("a", new string('x', 100))));

        Assert.Equal("http://localhost:5000/m2/acme/profile/update?mbox3rdPartyId=alice&profile.a=1".Length, result.RequestBytes);
        Assert.Equal(100, ex.AllowedBytes);
    }

    [Fact]
    public async Task UpdateAsync_CallerChangesTheUpdateAfterwards_TheRecordKeepsWhatWasSent()
    {
        var fake = new FakeProfileUpdateClient();
        var update = new ProfileUpdate(Alice).Set("tier", "gold");

        await fake.UpdateAsync(update);
        update.Set("extra", "1");

        var recorded = Assert.Single(fake.Updates);
        Assert.Equal(new Dictionary<string, string> { ["tier"] = "gold" }, recorded.Attributes);
        Assert.Equal("gold", (await fake.GetProfileAsync(Alice))!.Attributes["tier"].Value);
        Assert.False((await fake.GetProfileAsync(Alice))!.Attributes.ContainsKey("extra"));
    }

    [Fact]
    public void Constructor_OptionsWithoutClientCode_ThrowsNamingTheSetting()
    {
        var ex = Assert.Throws<ArgumentException>(() => new FakeProfileUpdateClient(new TargetProfileUpdateOptions()));

        Assert.Contains("ClientCode", ex.Message, StringComparison.Ordinal);
    }
}
