using TargetProfileUpdate.Encoding;
using TargetProfileUpdate.Tests.TestSupport;

namespace TargetProfileUpdate.Tests.Encoding;

/// <summary>
/// Issue 9, defect 8: an update whose encoded size passed <see cref="int.MaxValue"/> wrapped to a negative length and
/// threw <see cref="ArgumentOutOfRangeException"/>. Sizes now saturate at <see cref="ProfileUpdateEncoder.MaxLength"/>,
/// far over any limit, so such an update is refused as too large before anything is sent.
/// </summary>
[Collection(LargeMemoryTestGroup.Name)]
public sealed class SizeOverflowTests
{
    [Fact]
    public async Task UpdateAsync_EncodedSizeOverIntMaxValue_IsTooLargeNotArgumentOutOfRange()
    {
        // 250 attributes share one 1,000,000-character string (2 MB) that encodes to 9,000,000 bytes: 2.25 GB in all.
        string value = new('€', 1_000_000);
        var update = ProfileUpdate.ForThirdPartyId("crm-1");
        for (int i = 0; i < 250; i++)
        {
            update.Set("a" + i.ToString(System.Globalization.CultureInfo.InvariantCulture), value);
        }

        var (client, handler, services) = TestClients.Create();
        using var _ = services;

        var ex = await Assert.ThrowsAsync<ProfileUpdateTooLargeException>(() => client.UpdateAsync(update));

        Assert.Empty(handler.Requests);
        Assert.Equal(0, ex.Attempts);
        Assert.Equal(ProfileUpdateEncoder.MaxLength, ex.ActualBytes);
        Assert.Equal(60_000, ex.AllowedBytes);
    }

    [Fact]
    public void GetFormLength_AttributesOverIntMaxValue_SaturatesInsteadOfWrapping()
    {
        string value = new('€', 1_000_000);
        var update = ProfileUpdate.ForPcId("1-2.01_00");
        for (int i = 0; i < 250; i++)
        {
            update.Set("a" + i.ToString(System.Globalization.CultureInfo.InvariantCulture), value);
            Assert.True(ProfileUpdateEncoder.GetFormLength(update) > 0);
        }

        Assert.Equal(ProfileUpdateEncoder.MaxLength, update.EncodedAttributesLength);
        Assert.Equal(ProfileUpdateEncoder.MaxLength, ProfileUpdateEncoder.GetFormLength(update));
    }

    [Fact]
    public void GetEncodedLength_OneTextOverIntMaxValueEncoded_SaturatesInsteadOfWrapping()
    {
        // 240,000,000 characters of '€' (9 bytes each once encoded: 2.16 GB): 480 MB, given back right after.
        char[]? text = GC.AllocateUninitializedArray<char>(240_000_000);
        try
        {
            text.AsSpan().Fill('€');

            Assert.Equal(ProfileUpdateEncoder.MaxLength, ProfileUpdateEncoder.GetEncodedLength(text));
        }
        finally
        {
            text = null;
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        }
    }

    [Theory]
    [InlineData(0, 0, 0)]
    [InlineData(5, 7, 12)]
    [InlineData(ProfileUpdateEncoder.MaxLength - 1, 1, ProfileUpdateEncoder.MaxLength)]
    [InlineData(ProfileUpdateEncoder.MaxLength - 1, 2, ProfileUpdateEncoder.MaxLength)]
    [InlineData(ProfileUpdateEncoder.MaxLength, ProfileUpdateEncoder.MaxLength, ProfileUpdateEncoder.MaxLength)]
    [InlineData(int.MaxValue, int.MaxValue, ProfileUpdateEncoder.MaxLength)]
    public void AddLengths_Saturates(int a, int b, int sum)
    {
        Assert.Equal(sum, ProfileUpdateEncoder.AddLengths(a, b));
    }
}

/// <summary>Tests that hold hundreds of megabytes run alone, so they never add up with others.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class LargeMemoryTestGroup
{
    public const string Name = "Large memory (run alone)";
}
