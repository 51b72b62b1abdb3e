using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using TargetProfileUpdate.Emulator;

namespace TargetProfileUpdate.IntegrationTests.Bulk;

/// <summary>
/// <see cref="IBulkProfileUpdateClient"/> from DI against the emulator (and an independent loopback server) over real
/// HTTP. Rows are generated lazily; ids repeat every <see cref="DistinctIds"/> rows so the emulator's profile store stays
/// small while the client still streams 1,200,000 rows.
/// </summary>
public sealed class BulkIntegrationTests
{
    private const int DistinctIds = 100_000;
    private const string Token = "tok-bulk-integration-0123456789";

    private static (IBulkProfileUpdateClient Bulk, IProfileFetchClient Fetch) CreateClients(Uri baseAddress, string clientCode, string? token = null)
    {
        var services = new ServiceCollection();
        services.AddTargetProfileUpdate(o =>
        {
            o.ClientCode = clientCode;
            o.BaseAddress = baseAddress;
            o.AuthorizationToken = token;
            o.Resilience.BaseDelay = TimeSpan.FromMilliseconds(10);
            o.Resilience.MaxDelay = TimeSpan.FromMilliseconds(50);
        });
        var provider = services.BuildServiceProvider();
        return (provider.GetRequiredService<IBulkProfileUpdateClient>(), provider.GetRequiredService<IProfileFetchClient>());
    }

    private static string Id(long i) => "crm-" + (i % DistinctIds).ToString(CultureInfo.InvariantCulture);

    /// <summary>Row i sets <c>n</c> to i and <c>city</c> to a non-ASCII value; counts the rows the client has read.</summary>
    private static IEnumerable<ProfileUpdate> Rows(long count, StrongBox<long>? read = null)
    {
        for (long i = 0; i < count; i++)
        {
            if (read is not null)
            {
                read.Value = i + 1;
            }

            yield return ProfileUpdate.ForThirdPartyId(Id(i)).Set("n", i).Set("city", (i & 1) == 0 ? "Zürich" : "東京, 1");
        }
    }

    [Trait("Category", "Slow")]
    [Fact]
    public async Task Upload_1200000Rows_InThreeBatches_CompletesAndTheLastWriteOfEachIdIsFetched()
    {
        const long Total = 1_200_000;
        await using var emulator = await TargetEmulator.StartAsync(new TargetEmulatorOptions { PropagationDelay = TimeSpan.Zero, BatchProcessingDelay = TimeSpan.FromMilliseconds(200) });
        var (bulk, fetch) = CreateClients(emulator.BaseAddress, emulator.ClientCode);

        var result = await bulk.UploadAsync(Rows(Total), new BulkUploadOptions { MaxRowsPerBatch = 500_000 });

        Assert.Equal([0L, 500_000L, 1_000_000L], result.Batches.Select(b => b.FirstIndex));
        Assert.Equal([500_000, 500_000, 200_000], result.Batches.Select(b => b.Rows));
        Assert.Equal((Total, Total, 0L), (result.Submitted, result.Sent, result.Rejected));
        Assert.Equal(3, emulator.BatchUpdateRequests);
        Assert.Equal(result.Batches.Select(b => b.BatchId), emulator.GetBatches().Select(b => b.BatchId));
        Assert.Equal(result.Batches.Select(b => b.Bytes), emulator.GetBatches().Select(b => b.Bytes + "batch=".Length));

        foreach (var batch in result.Batches)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            var status = await bulk.WaitForCompletionAsync(batch, TimeSpan.FromSeconds(1), timeout.Token);
            Assert.Equal(BulkBatchState.Complete, status.State);
            Assert.Equal(batch.Rows, status.BatchSize);
            Assert.Equal(batch.Rows, status.SuccessfulUpdates);
            Assert.Equal(0, status.FailedUpdates);
        }

        // The last row for id k is 1,100,000 + k: batches are applied in order, so that is the value fetched.
        foreach (long k in new long[] { 0, 1, 4_242, 77_777, DistinctIds - 1 })
        {
            var profile = await fetch.GetProfileAsync(ProfileId.FromThirdPartyId(Id(k)));
            Assert.NotNull(profile);
            long last = Total - DistinctIds + k;
            Assert.Equal(last.ToString(CultureInfo.InvariantCulture), profile.Attributes["n"].Value);
            Assert.Equal((last & 1) == 0 ? "Zürich" : "東京, 1", profile.Attributes["city"].Value);
        }

        Assert.Equal(DistinctIds, emulator.GetProfiles().Count);
    }

    [Trait("Category", "Slow")]
    [Fact]
    public async Task Upload_FailureInBatch2Of3_NamesExactlyTheUnacceptedRows_AndOnlyBatch1IsApplied()
    {
        const long Total = 1_200_000;
        await using var emulator = await TargetEmulator.StartAsync(new TargetEmulatorOptions { PropagationDelay = TimeSpan.Zero, BatchProcessingDelay = TimeSpan.Zero });
        emulator.InjectFaults(EmulatorFault.FailBatch(2, 400));
        var (bulk, _) = CreateClients(emulator.BaseAddress, emulator.ClientCode);
        var read = new StrongBox<long>();

        var ex = await Assert.ThrowsAsync<BulkUploadException>(() => bulk.UploadAsync(Rows(Total, read), new BulkUploadOptions { MaxRowsPerBatch = 500_000 }));

        Assert.Equal(400, ex.StatusCode);
        Assert.Equal(500_000, ex.FirstUnacceptedIndex);
        Assert.Equal(read.Value, ex.FirstUnacceptedIndex + ex.UnacceptedCount);
        Assert.True(ex.UnacceptedCount >= 500_000, "the whole refused batch is unaccepted");
        var accepted = Assert.Single(ex.PartialResult.Batches);
        Assert.Equal((0L, 500_000), (accepted.FirstIndex, accepted.Rows));
        Assert.Equal((500_000L, 500_000L, 0L), (ex.PartialResult.Submitted, ex.PartialResult.Sent, ex.PartialResult.Rejected));
        Assert.Equal(2, emulator.BatchUpdateRequests);
        Assert.Equal(accepted.BatchId, Assert.Single(emulator.GetBatches()).BatchId);

        // Resending from FirstUnacceptedIndex completes the load with nothing lost and nothing sent twice.
        var rest = await bulk.UploadAsync(Rows(Total).Skip((int)ex.FirstUnacceptedIndex), new BulkUploadOptions { MaxRowsPerBatch = 500_000 });
        Assert.Equal(Total, ex.PartialResult.Sent + rest.Sent);
        Assert.Equal([500_000, 200_000], rest.Batches.Select(b => b.Rows));
    }

    [Fact]
    public async Task Upload_SuccessFalseOnBatch2Of3_IsFinal_AndNamesTheRowsFromItsFirstIndex()
    {
        await using var emulator = await TargetEmulator.StartAsync(new TargetEmulatorOptions { PropagationDelay = TimeSpan.Zero, BatchProcessingDelay = TimeSpan.Zero });
        emulator.InjectFaults(EmulatorFault.RefuseBatch(2, "Batch could not be processed"));
        var (bulk, _) = CreateClients(emulator.BaseAddress, emulator.ClientCode);

        var ex = await Assert.ThrowsAsync<BulkUploadException>(() => bulk.UploadAsync(Rows(2_500), new BulkUploadOptions { MaxRowsPerBatch = 1_000 }));

        Assert.Equal(200, ex.StatusCode);
        Assert.Equal(1, ex.Attempts);
        Assert.Null(ex.ResponseBody); // not kept: a server may echo row data (see BulkProfileUpdateClient)
        Assert.Equal(1_000, ex.FirstUnacceptedIndex);
        Assert.Single(ex.PartialResult.Batches);
        Assert.Equal(2, emulator.BatchUpdateRequests);
    }

    [Fact]
    public async Task Upload_503Burst_IsRetriedAndTheBatchAccepted()
    {
        await using var emulator = await TargetEmulator.StartAsync(new TargetEmulatorOptions { PropagationDelay = TimeSpan.Zero, BatchProcessingDelay = TimeSpan.Zero });
        emulator.InjectFaults(EmulatorFault.ServiceUnavailableBurst(3, retryAfterSeconds: null));
        var (bulk, fetch) = CreateClients(emulator.BaseAddress, emulator.ClientCode);

        var result = await bulk.UploadAsync(Rows(1_000));

        var batch = Assert.Single(result.Batches);
        Assert.Equal(1_000, batch.Rows);
        Assert.Equal(4, emulator.BatchUpdateRequests);
        var status = await bulk.WaitForCompletionAsync(batch, TimeSpan.FromSeconds(1));
        Assert.Equal(1_000, status.SuccessfulUpdates);
        Assert.Equal("999", (await fetch.GetProfileAsync(ProfileId.FromThirdPartyId(Id(999))))!.Attributes["n"].Value);
    }

    [Fact]
    public async Task Upload_503WithRetryAfter_IsHonouredAndAccepted()
    {
        await using var emulator = await TargetEmulator.StartAsync(new TargetEmulatorOptions { PropagationDelay = TimeSpan.Zero, BatchProcessingDelay = TimeSpan.Zero });
        emulator.InjectFaults(EmulatorFault.ServiceUnavailableBurst(1, retryAfterSeconds: 1));
        var (bulk, _) = CreateClients(emulator.BaseAddress, emulator.ClientCode);

        var result = await bulk.UploadAsync(Rows(10));

        Assert.Equal(10, Assert.Single(result.Batches).Rows);
        Assert.Equal(2, emulator.BatchUpdateRequests);
    }

    [Fact]
    public async Task StuckBatch_WaitForCompletion_ReturnsStuck()
    {
        await using var emulator = await TargetEmulator.StartAsync(new TargetEmulatorOptions { PropagationDelay = TimeSpan.Zero, BatchProcessingDelay = TimeSpan.Zero });
        emulator.InjectFaults(EmulatorFault.StuckBatch());
        var (bulk, _) = CreateClients(emulator.BaseAddress, emulator.ClientCode);
        var batch = Assert.Single((await bulk.UploadAsync(Rows(10))).Batches);

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var status = await bulk.WaitForCompletionAsync(batch, TimeSpan.FromSeconds(1), timeout.Token);

        Assert.Equal(BulkBatchState.Stuck, status.State);
    }

    [Fact]
    public async Task StatusUrlOnAnotherLoopbackPort_GetsNoConnection_AndTheErrorSaysWhy()
    {
        using var other = new TcpListener(IPAddress.Loopback, 0);
        other.Start();
        int port = ((IPEndPoint)other.LocalEndpoint).Port;
        await using var emulator = await TargetEmulator.StartAsync(new TargetEmulatorOptions { PropagationDelay = TimeSpan.Zero, BatchProcessingDelay = TimeSpan.Zero, AuthorizationToken = Token });
        var (bulk, _) = CreateClients(emulator.BaseAddress, emulator.ClientCode, Token);
        var accepted = Assert.Single((await bulk.UploadAsync(Rows(10))).Batches);
        var foreign = new BulkBatch(accepted.BatchId, new Uri("http://127.0.0.1:" + port.ToString(CultureInfo.InvariantCulture) + accepted.StatusUrl.PathAndQuery), accepted.FirstIndex, accepted.Rows, accepted.Bytes, accepted.ApiVersion);

        var ex = await Assert.ThrowsAnyAsync<ProfileApiException>(() => bulk.GetStatusAsync(foreign));

        Assert.Contains("http://127.0.0.1:" + port.ToString(CultureInfo.InvariantCulture), ex.Message, StringComparison.Ordinal);
        Assert.Contains("not trusted", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Token, ex.ToString(), StringComparison.Ordinal);

        // No waiting needed: the awaited refusal is the event. Had the client connected to the other port, the kernel would
        // have queued that connection (the listener is open, never accepting) before the connect returned, and the client
        // would then have waited for an answer that never comes instead of refusing at once.
        Assert.False(other.Pending(), "a connection reached the untrusted port");

        // The same batch on the emulator's own origin is trusted, and the token is accepted there.
        Assert.Equal(BulkBatchState.Complete, (await bulk.GetStatusAsync(accepted)).State);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task StatusPolling_AgainstAnIndependentLoopbackServer_BothShapes(bool legacy)
    {
        await using var server = await XmlBulkServer.StartAsync(legacy, incompletePolls: 1);
        var (bulk, _) = CreateClients(server.BaseAddress, "indep", Token);

        var result = await bulk.UploadAsync(Rows(3));
        var batch = Assert.Single(result.Batches);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var status = await bulk.WaitForCompletionAsync(batch, TimeSpan.FromSeconds(1), timeout.Token);

        Assert.Equal(BulkBatchState.Complete, status.State);
        Assert.Equal("indep-1", status.BatchId);
        Assert.Equal(3, status.BatchSize);
        if (legacy)
        {
            Assert.Equal([Id(0), Id(1), Id(2)], status.Profiles.Select(p => p.Id));
            Assert.All(status.Profiles, p => Assert.Equal(BulkProfileState.Success, p.State));
        }
        else
        {
            Assert.Equal((3L, 3L, 0L, 0L), (status.ConsumedCount, status.SuccessfulUpdates, status.ProfilesNotFound, status.FailedUpdates));
        }

        var requests = server.Requests.ToArray();
        Assert.Equal(3, requests.Length);
        Assert.Equal(("POST", "/m2/indep/v2/profile/batchUpdate", "Bearer " + Token), (requests[0].Method, requests[0].PathAndQuery, requests[0].Authorization));
        Assert.All(requests[1..], r => Assert.Equal(("GET", "/m2/indep/v2/profile/batchStatus?batchId=indep-1&showDetails=true", "Bearer " + Token), (r.Method, r.PathAndQuery, r.Authorization)));
        Assert.StartsWith("batch=thirdPartyId,n,city\ncrm-0,0,Z%C3%BCrich\n", requests[0].Body, StringComparison.Ordinal);
    }
}

/// <summary>A mutable holder for a value a generator updates.</summary>
internal sealed class StrongBox<T>
{
    public T? Value { get; set; }
}
