using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using TargetProfileUpdate.Emulator.Tests.TestSupport;

namespace TargetProfileUpdate.Emulator.Tests.Endpoints;

/// <summary>The Bulk Profile Update API: batchUpdate v1/v2, the CSV body, limits, batchStatus, retention, the per-minute limit, faults.</summary>
public sealed class BulkEndpointsTests
{
    private static readonly long StartMs = Wire.Start.ToUnixTimeMilliseconds();

    [Fact]
    public async Task BatchUpdateV2_AnswersTheExactXml_WithAStatusUrlAtAdobesDocumentedPath()
    {
        await using var emulator = await TargetEmulator.StartAsync(new TargetEmulatorOptions { PropagationDelay = TimeSpan.Zero, BatchProcessingDelay = TimeSpan.Zero, TimeProvider = Wire.Clock() });
        using var http = Wire.Client(emulator);

        var (status, body) = await Wire.BatchUpdateAsync(http, "thirdPartyId,tier\ncrm-1,gold\n");

        Assert.Equal(200, status);
        string url = $"{emulator.BaseAddress}m2/demo/profile/batchStatus?batchId=demo-{StartMs}-1";
        Assert.Equal($"<response><success>true</success><batchStatus>{url}</batchStatus><message>Batch submitted for processing</message></response>", body);
    }

    [Fact]
    public async Task BatchUpdateV1_AnswersTheSameStatusPathAsV2()
    {
        await using var emulator = await TargetEmulator.StartAsync(new TargetEmulatorOptions { PropagationDelay = TimeSpan.Zero, BatchProcessingDelay = TimeSpan.Zero, TimeProvider = Wire.Clock() });
        emulator.SeedProfile(pcId: "pc-1");
        using var http = Wire.Client(emulator);

        var (_, body) = await Wire.BatchUpdateAsync(http, "pcId,tier\npc-1,gold", version: 1);

        Assert.Equal($"{emulator.BaseAddress}m2/demo/profile/batchStatus?batchId=demo-{StartMs}-1", Wire.StatusUrl(body));
    }

    [Fact]
    public async Task BatchUpdate_DecodesEveryFieldOnce_IncludingCommaNewlineQuotePercentPlusAndNonAscii()
    {
        await using var emulator = await TargetEmulator.StartAsync(new TargetEmulatorOptions { PropagationDelay = TimeSpan.Zero, BatchProcessingDelay = TimeSpan.Zero });
        using var http = Wire.Client(emulator);
        string csv = "thirdPartyId,note,city,user.level\r\n"
            + "crm%201,a%2Cb%0Ac,Z%C3%BCrich%20%E6%9D%B1%E4%BA%AC,%22q%22\r\n"
            + "crm-2,100%25,x+y,%2541\r\n";

        var (status, body) = await Wire.BatchUpdateAsync(http, csv);

        Assert.Equal(200, status);
        Assert.Contains("<success>true</success>", body, StringComparison.Ordinal);
        var first = emulator.FindByThirdPartyId("crm 1")!.Attributes;
        Assert.Equal("a,b\nc", first["note"].Value);
        Assert.Equal("Zürich 東京", first["city"].Value);
        Assert.Equal("\"q\"", first["user.level"].Value);
        var second = emulator.FindByThirdPartyId("crm-2")!.Attributes;
        Assert.Equal("100%", second["note"].Value);
        Assert.Equal("x y", second["city"].Value);
        Assert.Equal("%41", second["user.level"].Value);
    }

    [Fact]
    public async Task BatchUpdate_EmptyFieldsAreIgnored_AndDoNotClearAnAttribute()
    {
        await using var emulator = await TargetEmulator.StartAsync(new TargetEmulatorOptions { PropagationDelay = TimeSpan.Zero, BatchProcessingDelay = TimeSpan.Zero });
        emulator.SeedProfile(thirdPartyId: "crm-1", attributes: new Dictionary<string, string> { ["tier"] = "silver", ["city"] = "Basel" });
        using var http = Wire.Client(emulator);

        await Wire.BatchUpdateAsync(http, "thirdPartyId,tier,city\ncrm-1,,Bern\ncrm-2,gold\n", version: 2);

        var first = emulator.FindByThirdPartyId("crm-1")!.Attributes;
        Assert.Equal("silver", first["tier"].Value);
        Assert.Equal("Bern", first["city"].Value);
        Assert.Equal(["tier"], emulator.FindByThirdPartyId("crm-2")!.Attributes.Keys);
    }

    [Fact]
    public async Task BatchUpdateV2_CreatesMissingProfiles_VisibleToFetch()
    {
        await using var emulator = await TargetEmulator.StartAsync(new TargetEmulatorOptions { PropagationDelay = TimeSpan.Zero, BatchProcessingDelay = TimeSpan.Zero });
        using var http = Wire.Client(emulator);

        await Wire.BatchUpdateAsync(http, "thirdPartyId,tier\nnew-1,gold");
        var (status, body) = await Wire.FetchAsync(http, "rest/v1/profiles/thirdPartyId/new-1?client=demo");

        Assert.Equal(200, status);
        Assert.Contains("\"tier\":{\"value\":\"gold\"", body, StringComparison.Ordinal);
        Assert.Matches("\"visitorId\":\"[0-9]+-[0-9]+\\.01_00\"", body);
    }

    [Fact]
    public async Task BatchUpdateV1_UpdatesOnly_AndCountsUnknownProfilesInProfilesNotFound()
    {
        await using var emulator = await TargetEmulator.StartAsync(new TargetEmulatorOptions { PropagationDelay = TimeSpan.Zero, BatchProcessingDelay = TimeSpan.Zero });
        emulator.SeedProfile(thirdPartyId: "crm-1");
        using var http = Wire.Client(emulator);

        var (_, body) = await Wire.BatchUpdateAsync(http, "thirdPartyId,tier\ncrm-1,gold\ncrm-404,gold\n,gold\ncrm-3,a,extra\nbad%2Fid,x", version: 1);
        var (_, status) = await Wire.GetAsync(http, Wire.StatusUrl(body) + "&showDetails=true");

        Assert.Equal(
            $"<response><batchId>{Wire.BatchId(Wire.StatusUrl(body))}</batchId><status>complete</status><batchSize>5</batchSize>"
            + "<consumedCount>5</consumedCount><successfulUpdates>1</successfulUpdates><profilesNotFound>1</profilesNotFound><failedUpdates>3</failedUpdates></response>",
            status);
        Assert.Null(emulator.FindByThirdPartyId("crm-404"));
        Assert.Equal("gold", emulator.FindByThirdPartyId("crm-1")!.Attributes["tier"].Value);
    }

    [Fact]
    public async Task BatchUpdate_ByPcIdHeader_UpdatesThatProfile()
    {
        await using var emulator = await TargetEmulator.StartAsync(new TargetEmulatorOptions { PropagationDelay = TimeSpan.Zero, BatchProcessingDelay = TimeSpan.Zero });
        emulator.SeedProfile(pcId: "1368007744041-575948.01_00");
        using var http = Wire.Client(emulator);

        await Wire.BatchUpdateAsync(http, "pcId,tier\n1368007744041-575948.01_00,gold", version: 1);

        Assert.Equal("gold", emulator.FindByPcId("1368007744041-575948.01_00")!.Attributes["tier"].Value);
    }

    [Theory]
    [InlineData("thirdPartyId,a\nr1,1\nr2,2\nr3,3\n", "The batch has more than 2 rows")]
    [InlineData("thirdPartyId,a\nr1,0123456789012345678901234567890123456789\n", "The batch is larger than 40 bytes")]
    [InlineData("id,a\nr1,1", "The first column of the header must be pcId or thirdPartyId")]
    [InlineData("thirdPartyId,,a\nr1,1", "Column 2 of the header has no name")]
    [InlineData("", "The batch is empty: expected a header row starting with pcId or thirdPartyId")]
    [InlineData("thirdPartyId,a\nr1,%C3%28", "Line 2 is not URL-encoded UTF-8")]
    public async Task BatchUpdate_OverALimitOrMalformed_AnswersSuccessFalseAndAppliesNothing(string csv, string message)
    {
        await using var emulator = await TargetEmulator.StartAsync(new TargetEmulatorOptions { PropagationDelay = TimeSpan.Zero, BatchProcessingDelay = TimeSpan.Zero, BulkMaxRows = 2, BulkMaxBytes = 40 });
        using var http = Wire.Client(emulator);

        var (status, body) = await Wire.BatchUpdateAsync(http, csv);

        Assert.Equal(200, status);
        Assert.Equal($"<response><success>false</success><message>{message}</message></response>", body);
        Assert.Empty(emulator.GetProfiles());
        Assert.Empty(emulator.GetBatches());
    }

    [Fact]
    public async Task BatchUpdate_ExactlyAtTheLimits_IsAccepted()
    {
        string csv = "thirdPartyId,a\nr1,1\nr2,2";
        await using var emulator = await TargetEmulator.StartAsync(new TargetEmulatorOptions { PropagationDelay = TimeSpan.Zero, BatchProcessingDelay = TimeSpan.Zero, BulkMaxRows = 2, BulkMaxBytes = csv.Length });
        using var http = Wire.Client(emulator);

        var (_, body) = await Wire.BatchUpdateAsync(http, csv);

        Assert.Contains("<success>true</success>", body, StringComparison.Ordinal);
        Assert.Equal(csv.Length, Assert.Single(emulator.GetBatches()).Bytes);
    }

    [Fact]
    public async Task BatchUpdate_WithoutTheBatchPrefix_AnswersSuccessFalse()
    {
        await using var emulator = await TargetEmulator.StartAsync(new TargetEmulatorOptions { PropagationDelay = TimeSpan.Zero, BatchProcessingDelay = TimeSpan.Zero });
        using var http = Wire.Client(emulator);

        using var response = await http.PostAsync("m2/demo/v2/profile/batchUpdate", Wire.Form("thirdPartyId,a\nr1,1"));

        Assert.Equal("<response><success>false</success><message>The body must start with batch= followed by the CSV</message></response>", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task BatchStatus_IsIncompleteForTheProcessingDelay_ThenComplete_AndRowsAppearOnlyThen()
    {
        var clock = Wire.Clock();
        await using var emulator = await TargetEmulator.StartAsync(new TargetEmulatorOptions { PropagationDelay = TimeSpan.Zero, TimeProvider = clock, BatchProcessingDelay = TimeSpan.FromSeconds(30) });
        using var http = Wire.Client(emulator);
        var (_, body) = await Wire.BatchUpdateAsync(http, "thirdPartyId,tier\nnew-1,gold\nnew-2,silver");
        string url = Wire.StatusUrl(body);
        string id = Wire.BatchId(url);

        Assert.Equal((200, $"<response><batchId>{id}</batchId><status>incomplete</status><batchSize>2</batchSize></response>"), await Wire.GetAsync(http, url));
        Assert.Equal(
            $"<response><batchId>{id}</batchId><status>incomplete</status><batchSize>2</batchSize><consumedCount>0</consumedCount><successfulUpdates>0</successfulUpdates><profilesNotFound>0</profilesNotFound><failedUpdates>0</failedUpdates></response>",
            (await Wire.GetAsync(http, url + "&showDetails=true")).Body);
        Assert.Equal(404, (await Wire.FetchAsync(http, "rest/v1/profiles/thirdPartyId/new-1?client=demo")).Status);

        clock.Advance(TimeSpan.FromSeconds(30));

        Assert.Equal(
            $"<response><batchId>{id}</batchId><status>complete</status><batchSize>2</batchSize><consumedCount>2</consumedCount><successfulUpdates>2</successfulUpdates><profilesNotFound>0</profilesNotFound><failedUpdates>0</failedUpdates></response>",
            (await Wire.GetAsync(http, url + "&showDetails=true")).Body);
        Assert.Equal(200, (await Wire.FetchAsync(http, "rest/v1/profiles/thirdPartyId/new-1?client=demo")).Status);
    }

    [Fact]
    public async Task BatchStatus_KeepsOnlyTheLastTenBatches()
    {
        await using var emulator = await TargetEmulator.StartAsync(new TargetEmulatorOptions { PropagationDelay = TimeSpan.Zero, BatchProcessingDelay = TimeSpan.Zero, BulkCallsPerMinute = 100 });
        using var http = Wire.Client(emulator);
        var urls = new List<string>();
        for (int i = 0; i < 11; i++)
        {
            urls.Add(Wire.StatusUrl((await Wire.BatchUpdateAsync(http, $"thirdPartyId,a\nr{i},1")).Body));
        }

        var (status, body) = await Wire.GetAsync(http, urls[0]);

        Assert.Equal(404, status);
        Assert.Equal($"<response><success>false</success><message>No batch found with batchId={Wire.BatchId(urls[0])}: only the last 10 batches are kept</message></response>", body);
        Assert.Equal(200, (await Wire.GetAsync(http, urls[1])).Status);
        Assert.Equal(urls.Skip(1).Select(Wire.BatchId), emulator.GetBatches().Select(b => b.BatchId));
    }

    [Fact]
    public async Task BulkCalls_OverThePerMinuteLimit_Get503WithRetryAfter_UntilTheMinuteHasPassed()
    {
        var clock = Wire.Clock();
        await using var emulator = await TargetEmulator.StartAsync(new TargetEmulatorOptions { PropagationDelay = TimeSpan.Zero, BatchProcessingDelay = TimeSpan.Zero, TimeProvider = clock, BulkCallsPerMinute = 3 });
        using var http = Wire.Client(emulator);
        string url = Wire.StatusUrl((await Wire.BatchUpdateAsync(http, "thirdPartyId,a\nr1,1")).Body);
        await Wire.GetAsync(http, url);
        clock.Advance(TimeSpan.FromSeconds(20));
        await Wire.BatchUpdateAsync(http, "thirdPartyId,a\nr2,1");

        using var limited = await http.PostAsync("m2/demo/v2/profile/batchUpdate", Wire.Form("batch=thirdPartyId,a\nr3,1"));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, limited.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(40), limited.Headers.RetryAfter!.Delta);
        Assert.Equal(503, (await Wire.GetAsync(http, url)).Status);
        Assert.Null(emulator.FindByThirdPartyId("r3"));

        clock.Advance(TimeSpan.FromSeconds(40));

        Assert.Equal(200, (await Wire.GetAsync(http, url)).Status);
    }

    [Fact]
    public async Task BulkCalls_ShareThePerMinuteLimitWithAdminTokenCalls()
    {
        var options = Wire.ImsOptions();
        options.BulkCallsPerMinute = 2;
        await using var emulator = await TargetEmulator.StartAsync(options);
        using var http = Wire.Client(emulator);
        string token = await Wire.ProfileTokenAsync(http);
        await Wire.ProfileTokenAsync(http);

        Assert.Equal(503, (await Wire.BatchUpdateAsync(http, "thirdPartyId,a\nr1,1", token: token)).Status);
    }

    [Fact]
    public async Task Faults_A503Burst_ThenTheBatchIsAccepted()
    {
        await using var emulator = await TargetEmulator.StartAsync(new TargetEmulatorOptions { PropagationDelay = TimeSpan.Zero, BatchProcessingDelay = TimeSpan.Zero });
        emulator.InjectFaults(EmulatorFault.ServiceUnavailableBurst(2));
        using var http = Wire.Client(emulator);

        Assert.Equal(503, (await Wire.BatchUpdateAsync(http, "thirdPartyId,a\nr1,1")).Status);
        Assert.Equal(503, (await Wire.BatchUpdateAsync(http, "thirdPartyId,a\nr1,1")).Status);
        Assert.Equal(200, (await Wire.BatchUpdateAsync(http, "thirdPartyId,a\nr1,1")).Status);
        Assert.Equal(3, emulator.BatchUpdateRequests);
        Assert.Single(emulator.GetBatches());
    }

    [Fact]
    public async Task Faults_RefuseBatchN_AnswersSuccessFalseOnExactlyThatCall()
    {
        await using var emulator = await TargetEmulator.StartAsync(new TargetEmulatorOptions { PropagationDelay = TimeSpan.Zero, BatchProcessingDelay = TimeSpan.Zero });
        emulator.InjectFaults(EmulatorFault.RefuseBatch(2, "Batch 2 refused"));
        using var http = Wire.Client(emulator);

        var first = await Wire.BatchUpdateAsync(http, "thirdPartyId,a\nr1,1");
        var second = await Wire.BatchUpdateAsync(http, "thirdPartyId,a\nr2,1");
        var third = await Wire.BatchUpdateAsync(http, "thirdPartyId,a\nr3,1");

        Assert.Contains("<success>true</success>", first.Body, StringComparison.Ordinal);
        Assert.Equal((200, "<response><success>false</success><message>Batch 2 refused</message></response>"), second);
        Assert.Contains("<success>true</success>", third.Body, StringComparison.Ordinal);
        Assert.Null(emulator.FindByThirdPartyId("r2"));
    }

    [Fact]
    public async Task Faults_FailBatchN_AnswersTheStatusOnExactlyThatCall()
    {
        await using var emulator = await TargetEmulator.StartAsync(new TargetEmulatorOptions { PropagationDelay = TimeSpan.Zero, BatchProcessingDelay = TimeSpan.Zero });
        emulator.InjectFaults(EmulatorFault.FailBatch(1, 400));
        using var http = Wire.Client(emulator);

        Assert.Equal(400, (await Wire.BatchUpdateAsync(http, "thirdPartyId,a\nr1,1")).Status);
        Assert.Equal(200, (await Wire.BatchUpdateAsync(http, "thirdPartyId,a\nr1,1")).Status);
    }

    [Fact]
    public async Task Faults_StuckBatch_StaysStuckAndAppliesNothing()
    {
        var clock = Wire.Clock();
        await using var emulator = await TargetEmulator.StartAsync(new TargetEmulatorOptions { PropagationDelay = TimeSpan.Zero, BatchProcessingDelay = TimeSpan.Zero, TimeProvider = clock });
        emulator.InjectFaults(EmulatorFault.StuckBatch());
        using var http = Wire.Client(emulator);

        string url = Wire.StatusUrl((await Wire.BatchUpdateAsync(http, "thirdPartyId,a\nr1,1")).Body);
        clock.Advance(TimeSpan.FromHours(1));

        Assert.Contains("<status>stuck</status>", (await Wire.GetAsync(http, url)).Body, StringComparison.Ordinal);
        Assert.Null(emulator.FindByThirdPartyId("r1"));
        Assert.Equal(EmulatedBatchStatus.Stuck, Assert.Single(emulator.GetBatches()).Status);
    }

    [Fact]
    public async Task BatchStatus_LegacyShape_ListsEachProfile()
    {
        var clock = Wire.Clock();
        await using var emulator = await TargetEmulator.StartAsync(new TargetEmulatorOptions { PropagationDelay = TimeSpan.Zero, TimeProvider = clock, LegacyBatchStatus = true, BatchProcessingDelay = TimeSpan.FromSeconds(5) });
        emulator.SeedProfile(thirdPartyId: "crm-1");
        using var http = Wire.Client(emulator);
        string url = Wire.StatusUrl((await Wire.BatchUpdateAsync(http, "thirdPartyId,a\ncrm-1,1\ncrm-2,2", version: 1)).Body);
        string id = Wire.BatchId(url);

        Assert.Equal(
            $"<response><batchId>{id}</batchId><status>incomplete</status><batchSize>2</batchSize><profile><id>crm-1</id><status>pending</status></profile><profile><id>crm-2</id><status>pending</status></profile></response>",
            (await Wire.GetAsync(http, url)).Body);
        clock.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(
            $"<response><batchId>{id}</batchId><status>complete</status><batchSize>2</batchSize><profile><id>crm-1</id><status>success</status></profile><profile><id>crm-2</id><status>error</status></profile></response>",
            (await Wire.GetAsync(http, url)).Body);
    }

    [Fact]
    public async Task BatchStatus_WithoutTheToken_Answers403()
    {
        await using var emulator = await TargetEmulator.StartAsync(new TargetEmulatorOptions { PropagationDelay = TimeSpan.Zero, BatchProcessingDelay = TimeSpan.Zero, AuthorizationToken = "t" });
        using var http = Wire.Client(emulator);
        string url = Wire.StatusUrl((await Wire.BatchUpdateAsync(http, "thirdPartyId,a\nr1,1", token: "t")).Body);

        Assert.Equal(403, (await Wire.GetAsync(http, url)).Status);
        Assert.Equal(200, (await Wire.GetAsync(http, url, "t")).Status);
    }

    [Fact]
    public async Task InspectionBatches_ListsTheBatchesWithTheirState()
    {
        await using var emulator = await TargetEmulator.StartAsync(new TargetEmulatorOptions { PropagationDelay = TimeSpan.Zero, BatchProcessingDelay = TimeSpan.Zero });
        using var http = Wire.Client(emulator);
        await Wire.BatchUpdateAsync(http, "thirdPartyId,a\nr1,1\nr2,2");

        var batch = JsonNode.Parse(await http.GetStringAsync("_emulator/batches"))!.AsArray().Single()!;

        Assert.Equal("Complete", batch["status"]!.GetValue<string>());
        Assert.Equal(2, batch["batchSize"]!.GetValue<long>());
        Assert.Equal(2, batch["apiVersion"]!.GetValue<int>());
        Assert.Equal("thirdPartyId", batch["idColumn"]!.GetValue<string>());
    }

    [Fact]
    public async Task BatchUpdate_StreamedInTinyChunks_ParsesRowsSplitAcrossReads()
    {
        await using var emulator = await TargetEmulator.StartAsync(new TargetEmulatorOptions { PropagationDelay = TimeSpan.Zero, BatchProcessingDelay = TimeSpan.Zero });
        using var http = Wire.Client(emulator);
        const int rows = 2_000;
        var csv = new System.Text.StringBuilder("batch=thirdPartyId,name,city\r\n");
        for (int i = 0; i < rows; i++)
        {
            csv.Append("id-").Append(i).Append(",Z%C3%BCrich%2C").Append(i).Append(i % 3 == 0 ? "," : ",Basel").Append("\r\n");
        }

        using var content = new ChunkedContent(System.Text.Encoding.ASCII.GetBytes(csv.ToString()), chunk: 7);
        using var response = await http.PostAsync("m2/demo/v2/profile/batchUpdate", content);

        Assert.Contains("<success>true</success>", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(rows, Assert.Single(emulator.GetBatches()).SuccessfulUpdates);
        Assert.Equal("Zürich,1999", emulator.FindByThirdPartyId("id-1999")!.Attributes["name"].Value);
        Assert.False(emulator.FindByThirdPartyId("id-3")!.Attributes.ContainsKey("city"));
        Assert.Equal("Basel", emulator.FindByThirdPartyId("id-4")!.Attributes["city"].Value);
    }

    [Trait("Category", "Slow")]
    [Fact]
    public async Task BatchUpdate_AtTheDefaultRowLimit_IsAcceptedWhole()
    {
        await using var emulator = await TargetEmulator.StartAsync(new TargetEmulatorOptions { PropagationDelay = TimeSpan.Zero, BatchProcessingDelay = TimeSpan.Zero });
        emulator.SeedProfile(thirdPartyId: "crm-499999");
        using var http = Wire.Client(emulator);
        var csv = new System.Text.StringBuilder("batch=thirdPartyId,tier\n", 12_000_000);
        for (int i = 0; i < 500_000; i++)
        {
            csv.Append("crm-").Append(i).Append(",gold\n");
        }

        using var content = new ByteArrayContent(System.Text.Encoding.ASCII.GetBytes(csv.ToString()));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-www-form-urlencoded");
        using var response = await http.PostAsync("m2/demo/profile/batchUpdate", content);

        Assert.Contains("<success>true</success>", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var batch = Assert.Single(emulator.GetBatches());
        Assert.Equal((500_000, 1, 499_999), (batch.BatchSize, batch.SuccessfulUpdates, batch.ProfilesNotFound));
        Assert.Equal("gold", emulator.FindByThirdPartyId("crm-499999")!.Attributes["tier"].Value);
    }

    /// <summary>A body sent in small flushed pieces with no length, so the server sees lines split across reads.</summary>
    private sealed class ChunkedContent : HttpContent
    {
        private readonly byte[] _bytes;
        private readonly int _chunk;

        public ChunkedContent(byte[] bytes, int chunk)
        {
            _bytes = bytes;
            _chunk = chunk;
            Headers.ContentType = new MediaTypeHeaderValue("application/x-www-form-urlencoded");
        }

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            for (int offset = 0; offset < _bytes.Length; offset += _chunk)
            {
                await stream.WriteAsync(_bytes.AsMemory(offset, Math.Min(_chunk, _bytes.Length - offset)));
                await stream.FlushAsync();
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
