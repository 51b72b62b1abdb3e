using TargetProfileUpdate.Bulk;
using TargetProfileUpdate.Http;

namespace TargetProfileUpdate.Tests.Bulk;

public sealed class BulkResponseParserTests
{
    private static ReadOnlyMemory<byte> Utf8(string text) => System.Text.Encoding.UTF8.GetBytes(text);

    [Fact]
    public void Submit_DocumentedSuccess_IsAcceptedWithTheStatusUrlExactlyAsReturned()
    {
        var answer = BulkResponseParser.ParseSubmitAnswer(Utf8("""
            <response>
                <success>true</success>
                <batchStatus>http://mboxedge45.tt.omtrdc.net/m2/demo/profile/batchStatus?batchId=demo-1701473848678-13029383</batchStatus>
                <message>Batch submitted for processing</message>
            </response>
            """));

        Assert.Equal(BulkSubmitOutcome.Accepted, answer.Outcome);
        Assert.Equal("http://mboxedge45.tt.omtrdc.net/m2/demo/profile/batchStatus?batchId=demo-1701473848678-13029383", answer.StatusUrl!.OriginalString);
        Assert.Equal("demo-1701473848678-13029383", answer.BatchId);
        Assert.Equal("Batch submitted for processing", answer.Message);
    }

    [Fact]
    public void Submit_SuccessFalseAtHttp200_IsRefusedWithTheMessage()
    {
        var answer = BulkResponseParser.ParseSubmitAnswer(Utf8("<response><success>false</success><message>Batch size exceeds limit</message></response>"));

        Assert.Equal(BulkSubmitOutcome.Refused, answer.Outcome);
        Assert.Null(answer.StatusUrl);
        Assert.Equal("Batch size exceeds limit", answer.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("<html><body>Service Unavailable</body></html>")]
    [InlineData("<response><success>true</success></response>")]
    [InlineData("<response><success>true</success><batchStatus>not a url</batchStatus></response>")]
    [InlineData("<response><success>true</success><batchStatus>file:///etc/passwd</batchStatus></response>")]
    [InlineData("<response><success>maybe</success><batchStatus>https://a.tt.omtrdc.net/s</batchStatus></response>")]
    [InlineData("<response><success>true</success><batchStatus>https://a.tt.omtrdc.net/s")]
    [InlineData("trueBatch submitted for processing")]
    [InlineData("<!DOCTYPE r [<!ENTITY x \"true\">]><response><success>&x;</success><batchStatus>https://a.tt.omtrdc.net/s</batchStatus></response>")]
    public void Submit_GarbageOrIncomplete_IsUnreadableNeverAccepted(string body)
    {
        Assert.Equal(BulkSubmitOutcome.Unreadable, BulkResponseParser.ParseSubmitAnswer(Utf8(body)).Outcome);
    }

    /// <summary>Issue 18: the bulk parser took <c>TRUE</c> as success while the update parser did not; one rule now
    /// (<c>SuccessAnswer.Flag</c>) answers for both.</summary>
    [Theory]
    [InlineData("TRUE", "Unreadable")]
    [InlineData("True", "Unreadable")]
    [InlineData("FALSE", "Unreadable")]
    [InlineData(" true ", "Accepted")]
    [InlineData("false", "Refused")]
    public void Submit_SuccessFlag_FollowsTheUpdateAnswersCaseSensitiveRule(string flag, string outcome)
    {
        var expected = Enum.Parse<BulkSubmitOutcome>(outcome);
        var answer = BulkResponseParser.ParseSubmitAnswer(Utf8("<response><success>" + flag + "</success><batchStatus>https://a.tt.omtrdc.net/s?batchId=1</batchStatus></response>"));

        Assert.Equal(expected, answer.Outcome);
        Assert.Equal(expected switch { BulkSubmitOutcome.Accepted => SuccessVerdict.Accepted, BulkSubmitOutcome.Refused => SuccessVerdict.Rejected, _ => SuccessVerdict.Unrecognized },
            SuccessAnswer.Parse(Utf8("<response><success>" + flag + "</success></response>").Span, out _));
    }

    [Fact]
    public void Submit_TooLarge_IsUnreadable()
    {
        string body = "<response><success>true</success><batchStatus>https://a.tt.omtrdc.net/s?batchId=1</batchStatus><message>"
            + new string('x', BulkResponseParser.MaxSubmitAnswerBytes) + "</message></response>";

        Assert.Equal(BulkSubmitOutcome.Unreadable, BulkResponseParser.ParseSubmitAnswer(Utf8(body)).Outcome);
    }

    [Fact]
    public void Submit_UnknownElementsAndWhitespace_AreTolerated()
    {
        var answer = BulkResponseParser.ParseSubmitAnswer(Utf8("""
            <?xml version="1.0" encoding="UTF-8"?>
            <response><!-- note --><requestId>42</requestId><success> true </success><extra><success>false</success></extra>
            <batchStatus><![CDATA[https://mboxedge1.tt.omtrdc.net/m2/demo/profile/batchStatus?batchId=b%2D1&x=1]]></batchStatus></response>
            """));

        Assert.Equal(BulkSubmitOutcome.Accepted, answer.Outcome);
        Assert.Equal("https://mboxedge1.tt.omtrdc.net/m2/demo/profile/batchStatus?batchId=b%2D1&x=1", answer.StatusUrl!.OriginalString);
        Assert.Equal("b-1", answer.BatchId);
    }

    [Fact]
    public void Status_DefaultShape_HasStateAndSizeOnly()
    {
        var status = BulkResponseParser.ParseStatusAnswer(Utf8("<response><batchId>demo4-1701473848678-13029383</batchId><status>complete</status><batchSize>1</batchSize></response>"), "fallback");

        Assert.NotNull(status);
        Assert.Equal("demo4-1701473848678-13029383", status.BatchId);
        Assert.Equal(BulkBatchState.Complete, status.State);
        Assert.Equal(1, status.BatchSize);
        Assert.Null(status.ConsumedCount);
        Assert.Null(status.FailedUpdates);
        Assert.Empty(status.Profiles);
    }

    [Fact]
    public void Status_DetailedShape_HasAllCounts()
    {
        var status = BulkResponseParser.ParseStatusAnswer(Utf8("""
            <response>
                <batchId>demo4-1701473848678-13029383</batchId>
                <status>incomplete</status>
                <batchSize>500000</batchSize>
                <consumedCount>250000</consumedCount>
                <successfulUpdates>249750</successfulUpdates>
                <profilesNotFound>200</profilesNotFound>
                <failedUpdates>50</failedUpdates>
                <somethingNew>7</somethingNew>
            </response>
            """), "fallback")!;

        Assert.Equal(
            (BulkBatchState.Incomplete, 500000L, 250000L, 249750L, 200L, 50L),
            (status.State, status.BatchSize, status.ConsumedCount, status.SuccessfulUpdates, status.ProfilesNotFound, status.FailedUpdates));
    }

    [Fact]
    public void Status_LegacyShape_ListsEachProfile()
    {
        var status = BulkResponseParser.ParseStatusAnswer(Utf8("""
            <response><batchId>b1</batchId><status>incomplete</status>
              <profiles>
                <profile><id>123</id><status>success</status></profile>
                <profile><id>124</id><status>error</status><reason>x</reason></profile>
                <profile><status>pending</status><id>125</id></profile>
                <profile><id>126</id><status>exploded</status></profile>
              </profiles>
            </response>
            """), "fallback")!;

        Assert.Equal(
            [("123", BulkProfileState.Success), ("124", BulkProfileState.Error), ("125", BulkProfileState.Pending), ("126", BulkProfileState.Unknown)],
            status.Profiles.Select(p => (p.Id, p.State)));
        Assert.Equal("***:Success", status.Profiles[0].ToString());
    }

    [Theory]
    [InlineData("stuck", BulkBatchState.Stuck)]
    [InlineData("COMPLETE", BulkBatchState.Complete)]
    [InlineData(" incomplete ", BulkBatchState.Incomplete)]
    [InlineData("queued", BulkBatchState.Unknown)]
    [InlineData("", BulkBatchState.Unknown)]
    public void Status_State_IsMappedCaseInsensitively(string text, BulkBatchState expected)
    {
        Assert.Equal(expected, BulkResponseParser.ParseStatusAnswer(Utf8("<response><status>" + text + "</status></response>"), "b")!.State);
    }

    [Fact]
    public void Status_MissingBatchIdAndBadCounts_FallBackAndStayNull()
    {
        var status = BulkResponseParser.ParseStatusAnswer(Utf8("<response><status>complete</status><batchSize>-1</batchSize><failedUpdates>many</failedUpdates></response>"), "from-url")!;

        Assert.Equal("from-url", status.BatchId);
        Assert.Null(status.BatchSize);
        Assert.Null(status.FailedUpdates);
    }

    [Theory]
    [InlineData("")]
    [InlineData("<html>Bad Gateway</html>")]
    [InlineData("<response><status>complete")]
    [InlineData("{\"status\":\"complete\"}")]
    public void Status_Garbage_IsNull(string body)
    {
        Assert.Null(BulkResponseParser.ParseStatusAnswer(Utf8(body), "b"));
    }
}
