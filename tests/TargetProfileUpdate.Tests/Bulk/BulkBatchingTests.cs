using TargetProfileUpdate.Bulk;
using static TargetProfileUpdate.Tests.Bulk.BulkTestSupport;

namespace TargetProfileUpdate.Tests.Bulk;

public sealed class BulkBatchingTests
{
    // "batch=thirdPartyId,a\n" is 21 bytes; each row "idNNN,v\n" (ids of equal length) is 8 bytes.
    private const int HeaderLength = 21;
    private const int RowLength = 8;

    private static IEnumerable<ProfileUpdate> Rows(int count) =>
        Enumerable.Range(0, count).Select(i => ProfileUpdate.ForThirdPartyId("id" + i.ToString("D3", System.Globalization.CultureInfo.InvariantCulture)).Set("a", "v"));

    [Theory]
    [InlineData(9, 10, new[] { 9 })]
    [InlineData(10, 10, new[] { 10 })]
    [InlineData(11, 10, new[] { 10, 1 })]
    [InlineData(25, 10, new[] { 10, 10, 5 })]
    [InlineData(3, 1, new[] { 1, 1, 1 })]
    public async Task Cut_AtMaxRows_ExactlyOnBothSides(int rows, int maxRows, int[] expected)
    {
        var (batches, rejections, read) = await CutAsync(Rows(rows), maxRows: maxRows);

        Assert.Equal(expected, batches.Select(b => b.Rows));
        Assert.Empty(rejections);
        Assert.Equal(rows, read);
        Assert.Equal(Enumerable.Range(0, batches.Count).Select(b => (long)b * maxRows), batches.Select(b => b.FirstIndex));
    }

    [Theory]
    [InlineData(HeaderLength + (3 * RowLength) - 1, new[] { 2, 2, 1 })]
    [InlineData(HeaderLength + (3 * RowLength), new[] { 3, 2 })]
    [InlineData(HeaderLength + (3 * RowLength) + 1, new[] { 3, 2 })]
    [InlineData(HeaderLength + (5 * RowLength), new[] { 5 })]
    public async Task Cut_AtMaxBytes_ABatchNeverExceedsTheLimitAndFillsItExactly(int maxBytes, int[] expected)
    {
        var (batches, _, _) = await CutAsync(Rows(5), maxBytes: maxBytes);

        Assert.Equal(expected, batches.Select(b => b.Rows));
        Assert.All(batches, b => Assert.Equal(HeaderLength + (b.Rows * RowLength), b.Length));
        Assert.All(batches, b => Assert.True(b.Length <= maxBytes));
    }

    [Fact]
    public async Task Cut_NewColumnGrowsTheHeader_IsCountedBeforeTheRowIsAdded()
    {
        // Two rows fit exactly: header "batch=thirdPartyId,a\n" (21) + "id000,v\n" (8) + "id001,v\n" (8) = 37.
        // A third row setting a new column "bb" would add ",bb" (3) to the header and "id002,,w\n" (9): 49 > 45.
        ProfileUpdate[] rows =
        [
            ProfileUpdate.ForThirdPartyId("id000").Set("a", "v"),
            ProfileUpdate.ForThirdPartyId("id001").Set("a", "v"),
            ProfileUpdate.ForThirdPartyId("id002").Set("bb", "w"),
        ];

        var (batches, _, _) = await CutAsync(rows, maxBytes: 48);
        Assert.Equal([2, 1], batches.Select(b => b.Rows));
        Assert.Equal("batch=thirdPartyId,bb\nid002,w\n", batches[1].Body);

        var (fits, _, _) = await CutAsync(rows, maxBytes: 49);
        Assert.Equal("batch=thirdPartyId,a,bb\nid000,v\nid001,v\nid002,,w\n", Assert.Single(fits).Body);
        Assert.Equal(49, fits[0].Length);
    }

    [Fact]
    public async Task Cut_NewBatch_StartsWithOnlyTheColumnsItsRowsUse()
    {
        ProfileUpdate[] rows =
        [
            ProfileUpdate.ForPcId("p1").Set("x", "1").Set("y", "2"),
            ProfileUpdate.ForPcId("p2").Set("y", "3"),
        ];

        var (batches, _, _) = await CutAsync(rows, maxRows: 1);

        Assert.Equal(["batch=pcId,x,y\np1,1,2\n", "batch=pcId,y\np2,3\n"], batches.Select(b => b.Body));
    }

    [Fact]
    public async Task Row_LargerThanMaxBytesAlone_IsRejectedNotSentAndOthersGoOn()
    {
        ProfileUpdate[] rows =
        [
            ProfileUpdate.ForThirdPartyId("id000").Set("a", "v"),
            ProfileUpdate.ForThirdPartyId("big").Set("a", new string('x', 100)),
            ProfileUpdate.ForThirdPartyId("id002").Set("a", "v"),
        ];

        var (batches, rejections, read) = await CutAsync(rows, maxBytes: 64);

        var rejection = Assert.Single(rejections);
        Assert.Equal(1, rejection.Index);
        Assert.Equal(ProfileId.FromThirdPartyId("big"), rejection.ProfileId);
        Assert.Equal(BulkBatcher.RowTooLarge, rejection.Reason);
        Assert.Equal("batch=thirdPartyId,a\nid000,v\nid002,v\n", Assert.Single(batches).Body);
        Assert.Equal(3, read);
    }

    [Fact]
    public async Task Row_ExactlyAsLargeAsMaxBytesWithItsHeader_IsSentAlone()
    {
        // "batch=thirdPartyId,a\n" (21) + "big," (4) + 39 x + "\n" (1) = 65.
        var row = ProfileUpdate.ForThirdPartyId("big").Set("a", new string('x', 39));

        var (fits, rejected, _) = await CutAsync([row], maxBytes: 65);
        Assert.Equal(65, Assert.Single(fits).Length);
        Assert.Empty(rejected);

        var (none, tooLarge, _) = await CutAsync([ProfileUpdate.ForThirdPartyId("big").Set("a", new string('x', 39))], maxBytes: 64);
        Assert.Empty(none);
        Assert.Single(tooLarge);
    }

    [Fact]
    public async Task Rows_OfAnotherKindThanTheFirstAccepted_AreRejected()
    {
        ProfileUpdate?[] rows =
        [
            ProfileUpdate.ForThirdPartyId("t0").Set("a", "1"),
            ProfileUpdate.ForPcId("p1").Set("a", "1"),
            ProfileUpdate.ForThirdPartyId("t2").Set("a", "1"),
        ];

        var (batches, rejections, _) = await CutAsync(rows);

        var rejection = Assert.Single(rejections);
        Assert.Equal((1L, BulkBatcher.MixedKinds), (rejection.Index, rejection.Reason));
        Assert.Equal("batch=thirdPartyId,a\nt0,1\nt2,1\n", Assert.Single(batches).Body);
    }

    [Fact]
    public async Task FirstRowRejected_DoesNotFixTheKind()
    {
        ProfileUpdate?[] rows =
        [
            ProfileUpdate.ForPcId("p0"),
            ProfileUpdate.ForThirdPartyId("t1").Set("a", "1"),
        ];

        var (batches, rejections, _) = await CutAsync(rows);

        Assert.Equal((0L, BulkBatcher.NoAttributes), (Assert.Single(rejections).Index, rejections[0].Reason));
        Assert.Equal("batch=thirdPartyId,a\nt1,1\n", Assert.Single(batches).Body);
    }

    [Theory]
    [InlineData("a+b")]
    [InlineData("a/b")]
    [InlineData("+")]
    public async Task ThirdPartyId_WithPlusOrSlash_IsRejected(string id)
    {
        var (batches, rejections, _) = await CutAsync([ProfileUpdate.ForThirdPartyId(id).Set("a", "1")]);

        Assert.Empty(batches);
        Assert.Equal(BulkBatcher.ForbiddenThirdPartyIdCharacter, Assert.Single(rejections).Reason);
    }

    [Theory]
    [InlineData("thirdPartyId")]
    [InlineData("pcId")]
    [InlineData("profile.pcId")]
    [InlineData("PCID")]
    public async Task AttributeNamedLikeAnIdColumn_IsRejected_InsteadOfAddingASecondIdColumnToTheHeader(string name)
    {
        // Issue 19 item 12: "batch=thirdPartyId,a,thirdPartyId" carried two id columns.
        var (batches, rejections, _) = await CutAsync([ProfileUpdate.ForThirdPartyId("t0").Set("a", "1").Set(name, "x"), ProfileUpdate.ForThirdPartyId("t1").Set("a", "2")]);

        Assert.Equal((0L, BulkBatcher.IdColumnName), (Assert.Single(rejections).Index, rejections[0].Reason));
        Assert.Equal("batch=thirdPartyId,a\nt1,2\n", Assert.Single(batches).Body);
    }

    [Fact]
    public async Task PcId_WithPlusOrSlash_IsSentEncoded()
    {
        var (batches, rejections, _) = await CutAsync([ProfileUpdate.ForPcId("a+b/c").Set("a", "1")]);

        Assert.Empty(rejections);
        Assert.Equal("batch=pcId,a\na%2Bb%2Fc,1\n", Assert.Single(batches).Body);
    }

    [Fact]
    public async Task NullRowsAndRowsWithoutAttributes_AreRejectedWithTheirIndex()
    {
        ProfileUpdate?[] rows = [null, ProfileUpdate.ForPcId("p1"), ProfileUpdate.ForPcId("p2").Set("a", "1")];

        var (batches, rejections, read) = await CutAsync(rows);

        Assert.Equal([(0L, BulkBatcher.NullRow), (1L, BulkBatcher.NoAttributes)], rejections.Select(r => (r.Index, r.Reason)));
        Assert.Null(rejections[0].ProfileId);
        Assert.Equal(1, Assert.Single(batches).Rows);
        Assert.Equal(3, read);
    }

    [Fact]
    public void SupportedKinds_AreExactlyPcIdAndThirdPartyId()
    {
        // Any kind added to ProfileIdKind later (the ECID) is refused by IsSupportedKind without a change.
        Assert.All(Enum.GetValues<ProfileIdKind>(), kind =>
            Assert.Equal(kind is ProfileIdKind.PcId or ProfileIdKind.ThirdPartyId, BulkBatcher.IsSupportedKind(kind)));
        Assert.False(BulkBatcher.IsSupportedKind((ProfileIdKind)2));
    }

    [Fact]
    public async Task RowIndexes_InterleavedRejections_BatchesCoverTheRest()
    {
        var rows = Enumerable.Range(0, 20).Select(i => i % 4 == 3 ? ProfileUpdate.ForThirdPartyId("bad/" + i).Set("a", "1") : ProfileUpdate.ForThirdPartyId("t" + i).Set("a", "1")).ToList();

        var (batches, rejections, read) = await CutAsync(rows, maxRows: 4);

        Assert.Equal([3L, 7, 11, 15, 19], rejections.Select(r => r.Index));
        Assert.Equal([4, 4, 4, 3], batches.Select(b => b.Rows));
        Assert.Equal([0L, 5, 10, 16], batches.Select(b => b.FirstIndex));
        Assert.Equal([4L, 9, 14, 18], batches.Select(b => b.LastIndex));
        Assert.Equal(read, batches.Sum(b => b.Rows) + rejections.Count);
    }

    [Fact]
    public async Task RandomRows_EveryBatchWithinBothLimits_AndEveryRowSentOnceInOrder()
    {
        var random = new Random(7);
        var rows = Enumerable.Range(0, 2000).Select(i =>
        {
            var update = ProfileUpdate.ForThirdPartyId("id" + i);
            int attributes = random.Next(1, 6);
            for (int a = 0; a < attributes; a++)
            {
                update.Set("c" + random.Next(0, 30) + "_" + a, new string('é', random.Next(0, 40)));
            }

            return update;
        }).ToList();

        for (int trial = 0; trial < 5; trial++)
        {
            int maxBytes = random.Next(600, 5000);
            int maxRows = random.Next(1, 60);
            var (batches, rejections, _) = await CutAsync(rows, maxRows, maxBytes);

            Assert.All(batches, b => Assert.True(b.Length <= maxBytes && b.Rows <= maxRows));
            var sentIds = batches.SelectMany(b => b.Body.Split('\n').Skip(1).Where(l => l.Length > 0).Select(l => l.Split(',')[0]));
            var expected = rows.Select((r, i) => (r, i)).Where(x => !rejections.Any(j => j.Index == x.i)).Select(x => x.r.Id.Value);
            Assert.Equal(expected, sentIds);
        }
    }
}
