using System.Net.Http.Headers;
using static TargetProfileUpdate.Tests.Bulk.BulkTestSupport;

namespace TargetProfileUpdate.Tests.Bulk;

public sealed class BulkWireFormatTests
{
    [Fact]
    public async Task Batch_AdobesDocumentedSample_IsReproducedByteForByte()
    {
        // Adobe's sample file: batch=pcId,param1,param2,param3,param4 / 123,value1 / 124,value1,,,value4 / 125,,value2 /
        // 126,value1,value2,value3,value4. The first row names all four columns (empty values are ignored by Adobe and
        // trailing empty fields are left out), so the header has the documented order.
        ProfileUpdate[] rows =
        [
            ProfileUpdate.ForPcId("123").Set("param1", "value1").Set("param2", "").Set("param3", "").Set("param4", ""),
            ProfileUpdate.ForPcId("124").Set("param1", "value1").Set("param4", "value4"),
            ProfileUpdate.ForPcId("125").Set("param2", "value2"),
            ProfileUpdate.ForPcId("126").Set("param1", "value1").Set("param2", "value2").Set("param3", "value3").Set("param4", "value4"),
        ];

        var (batches, rejections, _) = await CutAsync(rows);

        Assert.Empty(rejections);
        Assert.Equal(
            "batch=pcId,param1,param2,param3,param4\n123,value1\n124,value1,,,value4\n125,,value2\n126,value1,value2,value3,value4\n",
            Assert.Single(batches).Body);
    }

    [Fact]
    public async Task Batch_Columns_AreFirstSeenOrderAndRowsLeaveUnsetColumnsEmpty()
    {
        ProfileUpdate[] rows =
        [
            ProfileUpdate.ForThirdPartyId("a").Set("tier", "gold"),
            ProfileUpdate.ForThirdPartyId("b").Set("city", "Basel").Set("tier", "silver"),
            ProfileUpdate.ForThirdPartyId("c").Set("zip", "4051"),
            ProfileUpdate.ForThirdPartyId("d").Set("city", "Bern"),
        ];

        var (batches, _, _) = await CutAsync(rows);

        Assert.Equal("batch=thirdPartyId,tier,city,zip\na,gold\nb,silver,Basel\nc,,,4051\nd,,Bern\n", Assert.Single(batches).Body);
    }

    [Theory]
    [InlineData("a,b", "a%2Cb")]
    [InlineData("line\nbreak", "line%0Abreak")]
    [InlineData("cr\r\nlf", "cr%0D%0Alf")]
    [InlineData("say \"hi\"", "say%20%22hi%22")]
    [InlineData("100%", "100%25")]
    [InlineData("a+b&c=d", "a%2Bb%26c%3Dd")]
    [InlineData("café", "caf%C3%A9")]
    [InlineData("東京", "%E6%9D%B1%E4%BA%AC")]
    [InlineData("😀", "%F0%9F%98%80")]
    [InlineData("AZaz09-._~", "AZaz09-._~")]
    public async Task Batch_Value_IsUtf8PercentEncodedSoItCannotBreakTheCsv(string value, string expected)
    {
        var (batches, _, _) = await CutAsync([ProfileUpdate.ForThirdPartyId("id").Set("v", value)]);

        Assert.Equal("batch=thirdPartyId,v\nid," + expected + "\n", Assert.Single(batches).Body);
    }

    [Fact]
    public async Task Batch_NamesAndIds_AreEncodedLikeTheSingleUpdateEncoderDoes()
    {
        var (batches, _, _) = await CutAsync([ProfileUpdate.ForThirdPartyId("jane doe@ü").Set("fav colour,1", "x").Set("profile.a.b", "y")]);

        Assert.Equal("batch=thirdPartyId,fav%20colour%2C1,a.b\njane%20doe%40%C3%BC,x,y\n", Assert.Single(batches).Body);
    }

    [Fact]
    public async Task Batch_BodyHasOnlyUnreservedPercentCommaNewlineAndOneEquals()
    {
        var random = new Random(20261124);
        var rows = Enumerable.Range(0, 200).Select(i =>
        {
            var update = ProfileUpdate.ForThirdPartyId("id-" + i + RandomText(random, 5).Replace("+", "", StringComparison.Ordinal).Replace("/", "", StringComparison.Ordinal));
            for (int a = 0; a < random.Next(1, 5); a++)
            {
                update.Set("n" + random.Next(0, 10) + RandomText(random, 3) + a, RandomText(random, random.Next(0, 20)));
            }

            return update;
        }).ToList();

        var (batches, rejections, _) = await CutAsync(rows);

        string body = Assert.Single(batches).Body;
        Assert.Empty(rejections);
        Assert.StartsWith("batch=", body, StringComparison.Ordinal);
        Assert.Equal(1, body.Count(c => c == '='));
        Assert.DoesNotContain('+', body);
        Assert.DoesNotContain('&', body);
        Assert.All(body.Where(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or '~' or '%' or ',' or '\n' or '=')), c => Assert.Fail("unexpected " + (int)c));

        // Decoding each field gives back the source exactly.
        string[] lines = body["batch=".Length..].Split('\n');
        Assert.Equal(string.Empty, lines[^1]);
        string[] header = lines[0].Split(',').Select(Uri.UnescapeDataString).ToArray();
        for (int r = 0; r < rows.Count; r++)
        {
            string[] fields = lines[r + 1].Split(',').Select(Uri.UnescapeDataString).ToArray();
            Assert.Equal(rows[r].Id.Value, fields[0]);
            var decoded = new Dictionary<string, string>();
            for (int f = 1; f < fields.Length; f++)
            {
                decoded[header[f]] = fields[f];
            }

            foreach (var (name, value) in rows[r].Attributes)
            {
                Assert.Equal(value, decoded.GetValueOrDefault(name, string.Empty));
            }
        }
    }

    [Fact]
    public async Task Content_IsFormUrlEncodedWithExactLengthAndResendsIdenticalBytes()
    {
        using var batcher = new TargetProfileUpdate.Bulk.BulkBatcher(10, 1000);
        await foreach (var batch in batcher.ReadBatchesAsync(ToAsync([ProfileUpdate.ForPcId("p1").Set("a", "1")]), CancellationToken.None))
        {
            using (batch)
            {
                using var content = batch.CreateContent();
                Assert.Equal(new MediaTypeHeaderValue("application/x-www-form-urlencoded"), content.Headers.ContentType);
                Assert.Equal(batch.Length, content.Headers.ContentLength);
                byte[] first = await content.ReadAsByteArrayAsync();
                using var second = batch.CreateContent();
                using var stream = new MemoryStream();
                await second.CopyToAsync(stream);
                Assert.Equal("batch=pcId,a\np1,1\n"u8.ToArray(), first);
                Assert.Equal(first, stream.ToArray());
            }

            Assert.Throws<ObjectDisposedException>(() => batch.ToArray());
        }
    }

    private static string RandomText(Random random, int runes)
    {
        var builder = new System.Text.StringBuilder();
        for (int i = 0; i < runes; i++)
        {
            int kind = random.Next(4);
            int scalar = kind switch
            {
                0 => random.Next(0x20, 0x7F),
                1 => random.Next(0, 0x20),
                2 => random.Next(0x80, 0xD800),
                _ => random.Next(0x10000, 0x110000),
            };
            builder.Append(char.ConvertFromUtf32(scalar));
        }

        return builder.ToString();
    }
}
