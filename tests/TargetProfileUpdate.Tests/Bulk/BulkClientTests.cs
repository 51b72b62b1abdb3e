using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using TargetProfileUpdate.Tests.TestSupport;

namespace TargetProfileUpdate.Tests.Bulk;

/// <summary>
/// <see cref="IBulkProfileUpdateClient"/> resolved from DI (the account's bulk limiter, resilience pipeline and token) over a
/// <see cref="RecordingHandler"/>: what reaches the wire, which answers are retried or final, and where the token may go.
/// </summary>
public sealed class BulkClientTests
{
    private const string Token = PersonalData.Token;
    private const string V2Url = "https://demo.tt.omtrdc.net/m2/demo/v2/profile/batchUpdate";
    private const string V1Url = "https://demo.tt.omtrdc.net/m2/demo/profile/batchUpdate";
    private const string EdgeStatusUrl = "https://mboxedge45.tt.omtrdc.net/m2/demo/v2/profile/batchStatus?batchId=demo-1";

    private static HttpResponseMessage Xml(string body, HttpStatusCode status = HttpStatusCode.OK) =>
        new(status) { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/xml") };

    private static HttpResponseMessage Accepted(string statusUrl = EdgeStatusUrl) =>
        Xml("<response><success>true</success><batchStatus>" + statusUrl.Replace("&", "&amp;", StringComparison.Ordinal) + "</batchStatus><message>Batch submitted for processing</message></response>");

    private static HttpResponseMessage Unavailable(int? retryAfterSeconds)
    {
        var response = Xml("<html>Service Unavailable</html>", HttpStatusCode.ServiceUnavailable);
        if (retryAfterSeconds is int seconds)
        {
            response.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromSeconds(seconds));
        }

        return response;
    }

    private static (IBulkProfileUpdateClient Client, RecordingHandler Handler, ServiceProvider Services) Create(
        RecordingHandler handler,
        Action<TargetProfileUpdateOptions>? configure = null,
        TimeProvider? time = null,
        ILoggerProvider? logs = null)
    {
        var (_, _, services) = TestClients.Create(
            o =>
            {
                o.AuthorizationToken = Token;
                configure?.Invoke(o);
            },
            handler,
            time,
            logs);
        return (services.GetRequiredService<IBulkProfileUpdateClient>(), handler, services);
    }

    [Fact]
    public async Task UploadAsync_ServerEchoingRowDataInARefusal_KeepsNoneOfItInTheException()
    {
        var handler = new RecordingHandler().Always(() => RecordingHandler.Text(System.Net.HttpStatusCode.BadRequest,
            "<response><success>false</success><message>bad row crm-1 S%C3%A3o+Paulo gold</message></response>"));
        var (client, _, _) = Create(handler);

        var ex = await Assert.ThrowsAsync<BulkUploadException>(() => client.UploadAsync(TwoRows()));

        Assert.Null(ex.ResponseBody);
        foreach (string secret in new[] { "crm-1", "crm-2", "São Paulo", "S%C3%A3o", "gold" })
        {
            Assert.DoesNotContain(secret, ex.ToString(), StringComparison.Ordinal);
        }
    }

    private static IEnumerable<ProfileUpdate> TwoRows() =>
    [
        ProfileUpdate.ForThirdPartyId("crm-1").Set("tier", "gold").Set("city", "São Paulo"),
        ProfileUpdate.ForThirdPartyId("crm-2").Set("tier", "a,b\n%"),
    ];

    // Trailing empty fields are left out (crm-2 sets no city), as BulkCsvEncoder documents.
    private const string TwoRowsBody = "batch=thirdPartyId,tier,city\ncrm-1,gold,S%C3%A3o%20Paulo\ncrm-2,a%2Cb%0A%25\n";

    [Fact]
    public async Task Upload_V2_SendsExactlyOnePostWithTheDocumentedUrlContentTypeBodyAndBearerToken()
    {
        var (client, handler, _) = Create(new RecordingHandler().Then(Accepted()));

        var result = await client.UploadAsync(TwoRows());

        var request = Assert.Single(handler.Requests);
        Assert.Equal(HttpMethod.Post, request.Method);
        Assert.Equal(V2Url, request.Url);
        Assert.Equal("application/x-www-form-urlencoded", request.ContentType);
        Assert.Equal("Bearer " + Token, request.Authorization);
        Assert.Equal(TwoRowsBody, request.BodyText);
        Assert.Equal(System.Text.Encoding.ASCII.GetBytes(TwoRowsBody), request.Body);

        var batch = Assert.Single(result.Batches);
        Assert.Equal("demo-1", batch.BatchId);
        Assert.Equal(EdgeStatusUrl, batch.StatusUrl.OriginalString);
        Assert.Equal(0, batch.FirstIndex);
        Assert.Equal(2, batch.Rows);
        Assert.Equal(TwoRowsBody.Length, batch.Bytes);
        Assert.Equal(BulkApiVersion.V2, batch.ApiVersion);
        Assert.Equal((2L, 2L, 0L), (result.Submitted, result.Sent, result.Rejected));
    }

    [Fact]
    public async Task Upload_V1_PostsToTheUpdateOnlyEndpoint()
    {
        var (client, handler, _) = Create(new RecordingHandler().Then(Accepted()));

        var result = await client.UploadAsync([ProfileUpdate.ForPcId("1368007744041-575948.01_00").Set("attr", "0")], new BulkUploadOptions { ApiVersion = BulkApiVersion.V1 });

        var request = Assert.Single(handler.Requests);
        Assert.Equal(V1Url, request.Url);
        Assert.Equal("batch=pcId,attr\n1368007744041-575948.01_00,0\n", request.BodyText);
        Assert.Equal(BulkApiVersion.V1, Assert.Single(result.Batches).ApiVersion);
    }

    [Fact]
    public async Task Upload_503WithRetryAfter_WaitsThatLongOnTheClockThenResendsIdenticalBytes()
    {
        var time = new TimerWatchingTimeProvider(DateTimeOffset.Parse("2026-11-23T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var handler = new RecordingHandler().Then(Unavailable(5)).Then(Accepted());
        var (client, _, _) = Create(handler, time: time);

        var upload = client.UploadAsync(TwoRows());

        await TestClients.AdvanceUntilAsync(time, () => false, TimeSpan.FromMilliseconds(250), TimeSpan.FromMilliseconds(4750));
        Assert.Single(handler.Requests);
        Assert.False(upload.IsCompleted);
        await TestClients.AdvanceUntilAsync(time, () => handler.Requests.Count == 2, TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(2));

        var result = await upload.WaitAsync(TimeSpan.FromSeconds(30));
        var requests = handler.Requests.ToArray();
        Assert.Equal(2, requests.Length);
        Assert.Equal(requests[0].Body, requests[1].Body);
        Assert.Equal(TwoRowsBody, requests[1].BodyText);
        Assert.Equal(2, Assert.Single(result.Batches).Rows);
    }

    [Fact]
    public async Task Upload_SuccessFalseAtHttp200_IsFinal_NoRetry_AndTheExceptionNamesEveryRowUnaccepted()
    {
        var handler = new RecordingHandler().Then(Xml("<response><success>false</success><message>Batch could not be processed</message></response>"));
        var (client, _, _) = Create(handler);

        var ex = await Assert.ThrowsAsync<BulkUploadException>(() => client.UploadAsync(TwoRows()));

        Assert.Single(handler.Requests);
        Assert.Equal(200, ex.StatusCode);
        Assert.Equal(1, ex.Attempts);
        Assert.False(ex.IsTransient);
        Assert.Contains("success=false", ex.Message, StringComparison.Ordinal);
        Assert.Null(ex.ResponseBody);
        Assert.Equal(0, ex.FirstUnacceptedIndex);
        Assert.Equal(2, ex.UnacceptedCount);
        Assert.Empty(ex.PartialResult.Batches);
        Assert.Equal(0, ex.PartialResult.Submitted);
    }

    [Theory]
    [InlineData(HttpStatusCode.BadRequest)]
    [InlineData(HttpStatusCode.NotFound)]
    [InlineData(HttpStatusCode.RequestEntityTooLarge)]
    public async Task Upload_Other4xx_IsFinalWithoutRetry(HttpStatusCode status)
    {
        var handler = new RecordingHandler().Then(Xml("<response><success>false</success><message>no</message></response>", status));
        var (client, _, _) = Create(handler);

        var ex = await Assert.ThrowsAsync<BulkUploadException>(() => client.UploadAsync(TwoRows()));

        Assert.Single(handler.Requests);
        Assert.Equal((int)status, ex.StatusCode);
        Assert.Equal(0, ex.FirstUnacceptedIndex);
    }

    [Fact]
    public async Task Upload_SecondBatchRefused_PartialResultHoldsTheFirstAndNamesTheRest()
    {
        var handler = new RecordingHandler()
            .Then(Accepted())
            .Then(Xml("<response><success>false</success><message>Batch size exceeds limit</message></response>"));
        var (client, _, _) = Create(handler);
        var rows = Enumerable.Range(0, 5).Select(i => ProfileUpdate.ForThirdPartyId("id" + i.ToString(System.Globalization.CultureInfo.InvariantCulture)).Set("a", "v"));

        var ex = await Assert.ThrowsAsync<BulkUploadException>(() => client.UploadAsync(rows, new BulkUploadOptions { MaxRowsPerBatch = 2 }));

        Assert.Equal(2, handler.Requests.Count);
        Assert.Equal(2, ex.FirstUnacceptedIndex);
        Assert.Equal(3, ex.UnacceptedCount); // rows 2..4: the refused batch and the row read after it
        Assert.Equal(2, Assert.Single(ex.PartialResult.Batches).Rows);
        Assert.Equal((2L, 2L), (ex.PartialResult.Submitted, ex.PartialResult.Sent));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task GetStatus_AsksTheStatusUrlWithShowDetailsAndTheToken_AndReadsBothShapes(bool legacy)
    {
        string answer = legacy
            ? "<response><batchId>demo-1</batchId><status>incomplete</status><batchSize>2</batchSize><profile><id>crm-1</id><status>success</status></profile><profile><id>crm-2</id><status>pending</status></profile></response>"
            : "<response><batchId>demo-1</batchId><status>complete</status><batchSize>2</batchSize><consumedCount>2</consumedCount><successfulUpdates>1</successfulUpdates><profilesNotFound>0</profilesNotFound><failedUpdates>1</failedUpdates></response>";
        var (client, handler, _) = Create(new RecordingHandler().Then(Accepted()).Then(Xml(answer)));
        var batch = Assert.Single((await client.UploadAsync(TwoRows())).Batches);

        var status = await client.GetStatusAsync(batch);

        var request = handler.Requests.ToArray()[1];
        Assert.Equal(HttpMethod.Get, request.Method);
        Assert.Equal(EdgeStatusUrl + "&showDetails=true", request.Url);
        Assert.Equal("Bearer " + Token, request.Authorization);
        Assert.Empty(request.Body);
        Assert.Equal("demo-1", status.BatchId);
        Assert.Equal(2, status.BatchSize);
        if (legacy)
        {
            Assert.Equal(BulkBatchState.Incomplete, status.State);
            Assert.Equal([("crm-1", BulkProfileState.Success), ("crm-2", BulkProfileState.Pending)], status.Profiles.Select(p => (p.Id, p.State)));
            Assert.Null(status.ConsumedCount);
        }
        else
        {
            Assert.Equal(BulkBatchState.Complete, status.State);
            Assert.Equal((2L, 1L, 0L, 1L), (status.ConsumedCount, status.SuccessfulUpdates, status.ProfilesNotFound, status.FailedUpdates));
            Assert.Empty(status.Profiles);
        }
    }

    [Fact]
    public async Task GetStatus_DocumentedHttpEdgeUrl_IsAskedOverHttpsWithTheToken()
    {
        var (client, handler, _) = Create(new RecordingHandler().Then(Accepted("http://mboxedge45.tt.omtrdc.net/m2/demo/profile/batchStatus?batchId=demo-2"))
            .Then(Xml("<response><batchId>demo-2</batchId><status>complete</status><batchSize>2</batchSize></response>")));
        var batch = Assert.Single((await client.UploadAsync(TwoRows())).Batches);

        await client.GetStatusAsync(batch);

        var request = handler.Requests.ToArray()[1];
        Assert.Equal("https://mboxedge45.tt.omtrdc.net/m2/demo/profile/batchStatus?batchId=demo-2&showDetails=true", request.Url);
        Assert.Equal("Bearer " + Token, request.Authorization);
    }

    [Theory]
    [InlineData("https://evil.example.com/m2/demo/profile/batchStatus?batchId=demo-1")]
    [InlineData("https://mboxedge45.tt.omtrdc.net.evil.example/m2/demo/profile/batchStatus?batchId=demo-1")]
    [InlineData("http://mboxedge45.tt.omtrdc.net:8443/m2/demo/profile/batchStatus?batchId=demo-1")]
    public async Task GetStatus_UntrustedStatusUrlFromTheServer_SendsNothingAndSaysWhy(string statusUrl)
    {
        var (client, handler, _) = Create(new RecordingHandler().Then(Accepted(statusUrl)));
        var batch = Assert.Single((await client.UploadAsync(TwoRows())).Batches);

        var ex = await Assert.ThrowsAnyAsync<ProfileApiException>(() => client.GetStatusAsync(batch));

        Assert.Single(handler.Requests);
        Assert.Contains("not trusted", ex.Message, StringComparison.Ordinal);
        Assert.Contains("No status request was made", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("batchId", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Token, ex.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetStatus_StatusUrlOnAnotherLoopbackPort_MakesNoConnectionThere()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int otherPort = ((IPEndPoint)listener.LocalEndpoint).Port;
        using var baseListener = new TcpListener(IPAddress.Loopback, 0);
        baseListener.Start();
        var baseAddress = new Uri("http://127.0.0.1:" + ((IPEndPoint)baseListener.LocalEndpoint).Port.ToString(System.Globalization.CultureInfo.InvariantCulture) + "/");
        var statusUrl = "http://127.0.0.1:" + otherPort.ToString(System.Globalization.CultureInfo.InvariantCulture) + "/m2/demo/v2/profile/batchStatus?batchId=demo-1";
        var (client, handler, _) = Create(new RecordingHandler().Then(Accepted(statusUrl)), o => o.BaseAddress = baseAddress);
        var batch = Assert.Single((await client.UploadAsync(TwoRows())).Batches);
        Assert.Equal(baseAddress + "m2/demo/v2/profile/batchUpdate", Assert.Single(handler.Requests).Url);

        var ex = await Assert.ThrowsAnyAsync<ProfileApiException>(() => client.GetStatusAsync(batch));

        Assert.Single(handler.Requests);
        Assert.Contains("127.0.0.1:" + otherPort.ToString(System.Globalization.CultureInfo.InvariantCulture), ex.Message, StringComparison.Ordinal);
        Assert.Contains("not trusted", ex.Message, StringComparison.Ordinal);
        Assert.False(listener.Pending());
    }

    [Fact]
    public async Task GetStatus_StatusUrlOnTheConfiguredBaseAddress_IsTrustedWithTheToken()
    {
        var baseAddress = new Uri("http://127.0.0.1:5080/");
        var (client, handler, _) = Create(
            new RecordingHandler().Then(Accepted("http://127.0.0.1:5080/m2/demo/v2/profile/batchStatus?batchId=demo-1"))
                .Then(Xml("<response><batchId>demo-1</batchId><status>complete</status><batchSize>2</batchSize></response>")),
            o => o.BaseAddress = baseAddress);
        var batch = Assert.Single((await client.UploadAsync(TwoRows())).Batches);

        var status = await client.GetStatusAsync(batch);

        var request = handler.Requests.ToArray()[1];
        Assert.Equal("http://127.0.0.1:5080/m2/demo/v2/profile/batchStatus?batchId=demo-1&showDetails=true", request.Url);
        Assert.Equal("Bearer " + Token, request.Authorization);
        Assert.Equal(BulkBatchState.Complete, status.State);
    }

    [Fact]
    public async Task GetStatus_404_IsFinalAndExplainsTheTenStatusRetention()
    {
        var (client, handler, _) = Create(new RecordingHandler().Then(Accepted()).Then(Xml("<response><success>false</success></response>", HttpStatusCode.NotFound)));
        var batch = Assert.Single((await client.UploadAsync(TwoRows())).Batches);

        var ex = await Assert.ThrowsAnyAsync<ProfileApiException>(() => client.GetStatusAsync(batch));

        Assert.Equal(2, handler.Requests.Count);
        Assert.Equal(404, ex.StatusCode);
        Assert.Contains("last 10", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Privacy_AcrossRetrySuccessRefusalAndStatus_NoIdValueOrTokenInLogsMessagesOrActivityTags()
    {
        var activities = new List<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == "TargetProfileUpdate",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a => { lock (activities) { activities.Add(a); } },
        };
        ActivitySource.AddActivityListener(listener);
        using var logs = FakeLogs.Provider();
        string echo = "row " + PersonalData.Id + " " + PersonalData.Value + " " + Token;
        var handler = new RecordingHandler()
            .Then(Xml("<html>busy " + echo + "</html>", HttpStatusCode.ServiceUnavailable))
            .Then(Accepted())
            .Then(Xml("<response><batchId>demo-1</batchId><status>complete</status><batchSize>1</batchSize></response>"))
            .Then(Xml("<response><success>false</success><message>bad token " + Token + "</message></response>"))
            .Then(Xml("<html>" + echo + "</html>", HttpStatusCode.BadRequest));
        var (client, _, _) = Create(handler, logs: logs);

        var result = await client.UploadAsync([PersonalData.Update()]);
        await client.GetStatusAsync(result.Batches[0]);
        var refused = await Assert.ThrowsAsync<BulkUploadException>(() => client.UploadAsync([PersonalData.Update()]));
        var failed = await Assert.ThrowsAsync<BulkUploadException>(() => client.UploadAsync([PersonalData.Update()]));

        Assert.Equal(5, handler.Requests.Count);
        Assert.NotEmpty(logs.Collector.GetSnapshot());
        Activity[] mine;
        lock (activities)
        {
            mine = [.. activities.Where(a => a.OperationName.StartsWith("TargetProfileUpdate.Bulk", StringComparison.Ordinal))];
        }

        Assert.NotEmpty(mine);
        // A snapshot under the lock: the listener also sees other tests' activities, appended while this enumerates.
        Activity[] all;
        lock (activities)
        {
            all = [.. activities];
        }

        var tagTexts = all.SelectMany(a => a.TagObjects.Select(t => t.Key + "=" + t.Value)).Concat(all.Select(a => a.StatusDescription ?? string.Empty));
        PersonalData.AssertAbsentFrom(logs.Collector.Texts()
            .Concat(tagTexts)
            .Append(refused.ToString()).Append(refused.ResponseBody ?? string.Empty)
            .Append(failed.ToString())
            .Append(result.Batches[0].ToString()));
    }
}
