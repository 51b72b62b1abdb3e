using Microsoft.Extensions.DependencyInjection;
#if NET10_0_OR_GREATER
using TargetProfileUpdate.Emulator;
#endif
using TargetProfileUpdate.Testing;

namespace TargetProfileUpdate.Testing.Tests;

/// <summary>
/// Issue 9: the fake threw synchronously on an already-canceled token, where the real client returns a canceled task.
/// Each usage error is run against both the fake and a real <see cref="ProfileUpdateClient"/> (none of them reaches the
/// network): both must throw synchronously, or both return a task that ends the same way.
/// </summary>
public sealed class RealClientParityTests
{
    public enum FetchUsageError
    {
        NullId,
        AlreadyCanceledToken,
        NullIdAndCanceledToken,
    }

    public enum UsageError
    {
        NullUpdate,
        NoAttributes,
        AlreadyCanceledToken,
        NoAttributesAndCanceledToken,
    }

    [Fact]
    public async Task UpdateAsync_AlreadyCanceledToken_ReturnsACanceledTaskLikeTheRealClient()
    {
        var fake = new FakeProfileUpdateClient();
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        Task<ProfileUpdateResult>? task = null;
        Exception? thrown = null;
        try
        {
            task = fake.UpdateAsync(ProfileUpdate.ForThirdPartyId("crm-1").Set("a", "1"), cts.Token);
        }
        catch (Exception caught)
        {
            thrown = caught;
        }

        Assert.Null(thrown);
        Assert.NotNull(task);
        Assert.True(task.IsCanceled);
        var ex = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => task);
        Assert.Equal(cts.Token, ex.CancellationToken);
        Assert.Empty(fake.Attempts);
        Assert.Empty(fake.Updates);
    }

    [Theory]
    [InlineData(UsageError.NullUpdate)]
    [InlineData(UsageError.NoAttributes)]
    [InlineData(UsageError.AlreadyCanceledToken)]
    [InlineData(UsageError.NoAttributesAndCanceledToken)]
    public async Task UpdateAsync_UsageErrors_EndExactlyAsWithTheRealClient(UsageError scenario)
    {
        using var real = new ProfileUpdateClient(new TargetProfileUpdateOptions { ClientCode = "demo" });
        var fake = new FakeProfileUpdateClient();

        var expected = await OutcomeAsync(real, scenario);
        var actual = await OutcomeAsync(fake, scenario);

        Assert.Equal(expected, actual);
    }

    [Fact]
    public async Task UpdateAsync_ScriptedCancellation_EndsAsACanceledTaskLikeTheRealClient()
    {
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        var fake = new FakeProfileUpdateClient().FailNext(1, new OperationCanceledException(cts.Token));

        var task = fake.UpdateAsync(ProfileUpdate.ForThirdPartyId("crm-1").Set("a", "1"));

        var ex = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => task);
        Assert.True(task.IsCanceled);
        Assert.Equal(cts.Token, ex.CancellationToken);
    }

    [Theory]
    [InlineData(FetchUsageError.NullId)]
    [InlineData(FetchUsageError.AlreadyCanceledToken)]
    [InlineData(FetchUsageError.NullIdAndCanceledToken)]
    public async Task GetProfileAsync_UsageErrors_EndExactlyAsWithTheRealClient(FetchUsageError scenario)
    {
        // ProfileFetchClient is only built by the registration: resolve the real one as an application would.
        var services = new ServiceCollection();
        services.AddTargetProfileUpdate(o => o.ClientCode = "demo");
        await using var provider = services.BuildServiceProvider();
        var real = provider.GetRequiredService<IProfileFetchClient>();
        Assert.IsType<ProfileFetchClient>(real);
        var fake = new FakeProfileUpdateClient().Seed(ProfileId.FromThirdPartyId("crm-1"), new Dictionary<string, string> { ["a"] = "1" });

        var expected = await FetchOutcomeAsync(real, scenario);
        var actual = await FetchOutcomeAsync(fake, scenario);

        Assert.Equal(expected, actual);
        Assert.Empty(fake.Fetches);
    }

    [Fact]
    public async Task GetProfileAsync_AlreadyCanceledToken_ReturnsACanceledTaskCarryingThatToken()
    {
        var fake = new FakeProfileUpdateClient().Seed(ProfileId.FromThirdPartyId("crm-1"), new Dictionary<string, string>());
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        var task = fake.GetProfileAsync(ProfileId.FromThirdPartyId("crm-1"), cts.Token);

        Assert.True(task.IsCanceled);
        var ex = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => task);
        Assert.Equal(cts.Token, ex.CancellationToken);
        Assert.Empty(fake.Fetches);
    }

    private static async Task<string> FetchOutcomeAsync(IProfileFetchClient client, FetchUsageError scenario)
    {
        using var cts = new CancellationTokenSource();
        if (scenario is FetchUsageError.AlreadyCanceledToken or FetchUsageError.NullIdAndCanceledToken)
        {
            await cts.CancelAsync();
        }

        ProfileId? id = scenario is FetchUsageError.AlreadyCanceledToken ? ProfileId.FromThirdPartyId("crm-1") : null;

        Task<TargetProfile?> task;
        try
        {
            task = client.GetProfileAsync(id!, cts.Token);
        }
        catch (Exception ex)
        {
            return "throws " + ex.GetType().Name + " (" + (ex as ArgumentException)?.ParamName + ")";
        }

        try
        {
            await task;
        }
        catch (Exception ex)
        {
            return "task " + task.Status + " " + ex.GetType().Name + (ex is OperationCanceledException oce && oce.CancellationToken == cts.Token ? " (the caller's token)" : string.Empty);
        }

        return "task " + task.Status;
    }

    /// <summary>How a call ends: "throws X" (synchronously) or "task Status X" (after the returned task ends).</summary>
    private static async Task<string> OutcomeAsync(IProfileUpdateClient client, UsageError scenario)
    {
        using var cts = new CancellationTokenSource();
        if (scenario is UsageError.AlreadyCanceledToken or UsageError.NoAttributesAndCanceledToken)
        {
            await cts.CancelAsync();
        }

        ProfileUpdate? update = scenario switch
        {
            UsageError.NullUpdate => null,
            UsageError.NoAttributes or UsageError.NoAttributesAndCanceledToken => ProfileUpdate.ForThirdPartyId("crm-1"),
            _ => ProfileUpdate.ForThirdPartyId("crm-1").Set("a", "1"),
        };

        Task<ProfileUpdateResult> task;
        try
        {
            task = client.UpdateAsync(update!, cts.Token);
        }
        catch (Exception ex)
        {
            return "throws " + ex.GetType().Name + " (" + (ex as ArgumentException)?.ParamName + ")";
        }

        try
        {
            await task;
        }
        catch (Exception ex)
        {
            return "task " + task.Status + " " + ex.GetType().Name;
        }

        return "task " + task.Status;
    }

#if NET10_0_OR_GREATER
    // The scenarios below run the real clients against the in-process emulator (ASP.NET Core, net10.0 only); the usage
    // errors above need no server and run on net8.0 too. Each scenario goes through the real client and the fake with the
    // same options, and what each did is described in one string, so a difference shows as a diff of two lines.

    private const string ThirdPartyId = "crm-1";

    [Theory]
    [InlineData(ProfileUpdateMethod.Auto, 10, 8000, 60000)]       // GET
    [InlineData(ProfileUpdateMethod.Auto, 2600, 8000, 60000)]     // a long GET: 2,600 characters, many of them percent-encoded
    [InlineData(ProfileUpdateMethod.Auto, 4000, 8000, 60000)]     // over the GET limit: POST
    [InlineData(ProfileUpdateMethod.Auto, 30000, 8000, 60000)]    // over both: too large
    [InlineData(ProfileUpdateMethod.Auto, 400, 1000, 1500)]       // over both, small limits
    [InlineData(ProfileUpdateMethod.Get, 4000, 8000, 60000)]      // GET forced, over its limit: too large
    [InlineData(ProfileUpdateMethod.Post, 10, 8000, 60000)]       // POST forced
    [InlineData(ProfileUpdateMethod.Post, 30000, 8000, 60000)]    // POST forced, over its limit: too large
    public async Task UpdateAsync_SizeRules_TheFakeRefusesAndChoosesExactlyAsTheRealClient(ProfileUpdateMethod method, int valueLength, int maxGet, int maxPost)
    {
        await using var emulator = await StartEmulatorAsync();
        var options = ClientOptions(emulator, method, maxGet, maxPost);
        using var real = new ProfileUpdateClient(options);
        var fake = new FakeProfileUpdateClient(options);

        string expected = await SendOutcomeAsync(real, Update(valueLength));
        string actual = await SendOutcomeAsync(fake, Update(valueLength));

        Assert.Equal(expected, actual);
        AssertWireMatches(emulator, fake);
    }

    [Fact]
    public async Task UpdateAsync_AtExactlyTheGetLimit_BothSendGet_AndOneByteOver_BothSendPost()
    {
        await using var emulator = await StartEmulatorAsync();
        var measure = await new FakeProfileUpdateClient(ClientOptions(emulator, ProfileUpdateMethod.Get, 1_000_000, 1_000_000)).UpdateAsync(Update(500));
        int urlBytes = measure.RequestBytes;

        foreach (var (limit, expectedMethod) in new[] { (urlBytes, HttpMethod.Get), (urlBytes - 1, HttpMethod.Post) })
        {
            var options = ClientOptions(emulator, ProfileUpdateMethod.Auto, limit, 60000);
            using var real = new ProfileUpdateClient(options);
            var fake = new FakeProfileUpdateClient(options);

            var realResult = await real.UpdateAsync(Update(500));
            var fakeResult = await fake.UpdateAsync(Update(500));

            Assert.Equal(expectedMethod, realResult.HttpMethod);
            Assert.Equal((realResult.HttpMethod, realResult.RequestBytes), (fakeResult.HttpMethod, fakeResult.RequestBytes));
            AssertWireMatches(emulator, fake);
        }
    }

    [Fact]
    public async Task UpdateAsync_UpdateChangedAfterTheCall_ChangesNeitherWhatWasSentNorWhatTheFakeRecorded()
    {
        await using var emulator = await StartEmulatorAsync();
        emulator.SeedProfile(thirdPartyId: ThirdPartyId);
        var options = ClientOptions(emulator, ProfileUpdateMethod.Auto, 8000, 60000);
        using var real = new ProfileUpdateClient(options);
        var fake = new FakeProfileUpdateClient(options).Seed(ProfileId.FromThirdPartyId(ThirdPartyId), new Dictionary<string, string>());
        var toReal = ProfileUpdate.ForThirdPartyId(ThirdPartyId).Set("tier", "gold");
        var toFake = ProfileUpdate.ForThirdPartyId(ThirdPartyId).Set("tier", "gold");

        await real.UpdateAsync(toReal);
        await fake.UpdateAsync(toFake);
        toReal.Set("extra", "1");
        toFake.Set("extra", "1");

        var sent = emulator.FindByThirdPartyId(ThirdPartyId)!.Attributes.ToDictionary(a => a.Key, a => a.Value.Value);
        Assert.Equal(new Dictionary<string, string> { ["tier"] = "gold" }, sent);
        Assert.Equal(sent, fake.LatestFor(ProfileId.FromThirdPartyId(ThirdPartyId))!.Attributes);
        Assert.Equal(sent, Assert.Single(fake.Attempts).Attributes);
        var fetched = (await fake.GetProfileAsync(ProfileId.FromThirdPartyId(ThirdPartyId)))!;
        Assert.Equal(sent, fetched.Attributes.ToDictionary(a => a.Key, a => a.Value.Value));
    }

    [Theory]
    [InlineData(BulkApiVersion.V2)]
    [InlineData(BulkApiVersion.V1)]
    public async Task UploadAsync_BatchingAndRejections_TheFakeCutsAndRejectsExactlyAsTheRealClient(BulkApiVersion version)
    {
        await using var emulator = await StartEmulatorAsync();
        var (real, _) = BulkClients(emulator);
        var fake = new FakeBulkProfileUpdateClient(ClientOptions(emulator, ProfileUpdateMethod.Auto, 8000, 60000));
        var options = new BulkUploadOptions { ApiVersion = version, MaxRowsPerBatch = 3, MaxBytesPerBatch = 200 };

        var expected = await real.UploadAsync(BulkRows(), options);
        var actual = await fake.UploadAsync(BulkRows(), options);

        Assert.Equal(Describe(expected), Describe(actual));
        Assert.Equal(expected.Submitted, actual.Sent + actual.Rejected);
        Assert.Equal(emulator.GetBatches().Select(b => b.BatchSize), fake.Batches.Select(b => (long)b.Rows));
        Assert.Equal(actual.Sent, fake.Rows.Count);
        Assert.Equal(
            expected.Batches.Select(b => b.Rows),
            fake.Rows.GroupBy(r => r.BatchId).Select(g => g.Count()));
    }

    [Fact]
    public async Task UploadAsync_SecondBatchRefused_BothNameTheSameFirstUnacceptedRowAndPartialResult()
    {
        await using var emulator = await StartEmulatorAsync();
        emulator.InjectFaults(EmulatorFault.FailBatch(2, 400));
        var (real, _) = BulkClients(emulator);
        var fake = new FakeBulkProfileUpdateClient(ClientOptions(emulator, ProfileUpdateMethod.Auto, 8000, 60000))
            .RefuseBatch(2, new ProfileApiException("The bulk batch was refused: HTTP 400.", statusCode: 400, responseBody: null, attempts: 1, isTransient: false));
        var options = new BulkUploadOptions { MaxRowsPerBatch = 3, MaxBytesPerBatch = 200 };

        var expected = await Assert.ThrowsAsync<BulkUploadException>(() => real.UploadAsync(BulkRows(), options));
        var actual = await Assert.ThrowsAsync<BulkUploadException>(() => fake.UploadAsync(BulkRows(), options));

        Assert.Equal(
            (expected.FirstUnacceptedIndex, expected.UnacceptedCount, expected.StatusCode, expected.IsTransient, Describe(expected.PartialResult)),
            (actual.FirstUnacceptedIndex, actual.UnacceptedCount, actual.StatusCode, actual.IsTransient, Describe(actual.PartialResult)));
        Assert.Equal(actual.PartialResult.Sent, fake.Rows.Count);
    }

    [Fact]
    public async Task GetStatusAsync_CompleteStuckAndUnknownBatches_AreReportedAlike()
    {
        await using var emulator = await StartEmulatorAsync();
        var (real, _) = BulkClients(emulator);
        var fake = new FakeBulkProfileUpdateClient(ClientOptions(emulator, ProfileUpdateMethod.Auto, 8000, 60000));
        var rows = new[] { ProfileUpdate.ForThirdPartyId("a").Set("n", "1"), ProfileUpdate.ForThirdPartyId("b").Set("n", "2") };

        var realDone = Assert.Single((await real.UploadAsync(rows.ToAsyncEnumerable())).Batches);
        var fakeDone = Assert.Single((await fake.UploadAsync(rows.ToAsyncEnumerable())).Batches);
        emulator.InjectFaults(EmulatorFault.StuckBatch());
        fake.StickNextBatches(1);
        var realStuck = Assert.Single((await real.UploadAsync(rows.ToAsyncEnumerable())).Batches);
        var fakeStuck = Assert.Single((await fake.UploadAsync(rows.ToAsyncEnumerable())).Batches);
        var realUnknown = new BulkBatch("no-such-batch", new Uri(realDone.StatusUrl.AbsoluteUri.Replace(realDone.BatchId, "no-such-batch", StringComparison.Ordinal)), 0, 1, 10, BulkApiVersion.V2);
        var fakeUnknown = new BulkBatch("no-such-batch", new Uri(fakeDone.StatusUrl.AbsoluteUri.Replace(fakeDone.BatchId, "no-such-batch", StringComparison.Ordinal)), 0, 1, 10, BulkApiVersion.V2);

        Assert.Equal(await StatusOutcomeAsync(real, realDone), await StatusOutcomeAsync(fake, fakeDone));
        Assert.Equal(await StatusOutcomeAsync(real, realStuck), await StatusOutcomeAsync(fake, fakeStuck));
        Assert.Equal(await StatusOutcomeAsync(real, realUnknown), await StatusOutcomeAsync(fake, fakeUnknown));
        Assert.Equal(await StatusOutcomeAsync(real, null), await StatusOutcomeAsync(fake, null));
        Assert.Equal(["fake-batch-1", "fake-batch-2", "no-such-batch"], fake.StatusRequests);
    }

    [Fact]
    public async Task UploadAsync_UsageErrors_EndExactlyAsWithTheRealClient()
    {
        await using var emulator = await StartEmulatorAsync();
        var (real, _) = BulkClients(emulator);
        var fake = new FakeBulkProfileUpdateClient();
        var badOptions = new BulkUploadOptions { MaxRowsPerBatch = 0 };

        Assert.Equal(await UploadOutcomeAsync(() => real.UploadAsync(null!)), await UploadOutcomeAsync(() => fake.UploadAsync(null!)));
        Assert.Equal(
            await UploadOutcomeAsync(() => real.UploadAsync(BulkRows(), badOptions)),
            await UploadOutcomeAsync(() => fake.UploadAsync(BulkRows(), badOptions)));
        Assert.Empty(fake.Batches);
    }

    [Fact]
    public async Task GetAttributeNamesAsync_SeededAndUpdatedProfiles_TheFakeListsTheNamesTheAdminApiLists()
    {
        await using var emulator = await TargetEmulator.StartAsync(new TargetEmulatorOptions
        {
            PropagationDelay = TimeSpan.Zero,
            ImsClientId = "parity-client",
            ImsClientSecret = "parity-secret",
        });
        var services = new ServiceCollection();
        services.AddTargetProfileUpdate(o =>
        {
            o.ClientCode = emulator.ClientCode;
            o.BaseAddress = emulator.BaseAddress;
            o.AdobeIms.ClientId = "parity-client";
            o.AdobeIms.ClientSecret = "parity-secret";
            o.AdobeIms.Scopes = "openid,AdobeID,target_sdk";
            o.AdobeIms.Tenant = emulator.ClientCode;
            o.AdobeIms.ImsTokenEndpoint = new Uri(emulator.BaseAddress, "ims/token/v3");
            o.AdobeIms.AdminApiBaseAddress = emulator.BaseAddress;
        });
        await using var provider = services.BuildServiceProvider();
        var fake = new FakeProfileUpdateClient();
        var seeded = new Dictionary<string, string> { ["loyaltyTier"] = "gold", ["entity.id"] = "sku-1" };
        emulator.SeedProfile(thirdPartyId: ThirdPartyId, attributes: seeded);
        fake.Seed(ProfileId.FromThirdPartyId(ThirdPartyId), seeded);
        var update = ProfileUpdate.ForThirdPartyId(ThirdPartyId).Set("favoriteColor", "blue").Set("visits", 3);

        await provider.GetRequiredService<IProfileUpdateClient>().UpdateAsync(update);
        await fake.UpdateAsync(update);
        var expected = await provider.GetRequiredService<IProfileAttributeCatalog>().GetAttributeNamesAsync();
        var actual = await fake.GetAttributeNamesAsync();

        Assert.Equal(["entity.id", "favoriteColor", "loyaltyTier", "visits"], expected.Order(StringComparer.Ordinal));
        Assert.Equal(expected.Order(StringComparer.Ordinal), actual.Order(StringComparer.Ordinal));
    }

    private static Task<TargetEmulator> StartEmulatorAsync() =>
        TargetEmulator.StartAsync(new TargetEmulatorOptions { BatchProcessingDelay = TimeSpan.Zero, PropagationDelay = TimeSpan.Zero });

    private static TargetProfileUpdateOptions ClientOptions(TargetEmulator emulator, ProfileUpdateMethod method, int maxGet, int maxPost) => new()
    {
        ClientCode = emulator.ClientCode,
        BaseAddress = emulator.BaseAddress,
        Method = method,
        MaxGetRequestBytes = maxGet,
        MaxPostRequestBytes = maxPost,
    };

    private static (IBulkProfileUpdateClient Bulk, ServiceProvider Provider) BulkClients(TargetEmulator emulator)
    {
        var services = new ServiceCollection();
        services.AddTargetProfileUpdate(o =>
        {
            o.ClientCode = emulator.ClientCode;
            o.BaseAddress = emulator.BaseAddress;
        });
        var provider = services.BuildServiceProvider();
        return (provider.GetRequiredService<IBulkProfileUpdateClient>(), provider);
    }

    /// <summary>An update of a seeded-or-not profile whose one value has <paramref name="length"/> characters, some of them encoded.</summary>
    private static ProfileUpdate Update(int length)
    {
        var value = new System.Text.StringBuilder(length);
        while (value.Length < length)
        {
            value.Append("aé &"[value.Length % 4]);
        }

        return ProfileUpdate.ForThirdPartyId(ThirdPartyId).Set("notes", value.ToString());
    }

    private static async Task<string> SendOutcomeAsync(IProfileUpdateClient client, ProfileUpdate update)
    {
        try
        {
            var result = await client.UpdateAsync(update);
            return $"{result.HttpMethod} {result.RequestBytes} bytes";
        }
        catch (ProfileUpdateTooLargeException ex)
        {
            return $"{ex.GetType().Name} {ex.ActualBytes} over {ex.AllowedBytes}, transient {ex.IsTransient}, status {ex.StatusCode}: {ex.Message}";
        }
    }

    /// <summary>The real client's requests reached the emulator with the method and size the fake recorded for the same updates.</summary>
    private static void AssertWireMatches(TargetEmulator emulator, FakeProfileUpdateClient fake)
    {
        var onTheWire = emulator.GetRequests()
            .Where(r => r.Path.EndsWith("/profile/update", StringComparison.Ordinal))
            .Select(r => (r.Method, r.Method == "GET" ? emulator.BaseAddress.AbsoluteUri.Length - 1 + r.Path.Length + 1 + r.RawQuery.Length : r.RawBody.Length))
            .ToList();
        var recorded = fake.Attempts.Select(a => (a.HttpMethod.Method, a.RequestBytes)).ToList();
        Assert.Equal(onTheWire.TakeLast(recorded.Count), recorded);
    }

    /// <summary>
    /// Rows with every kind of rejection the batcher knows, between accepted rows: a null row, a pcId row in a
    /// thirdPartyId upload, a thirdPartyId with '+', a row without attributes, a row too large for a 200-byte batch.
    /// </summary>
    private static async IAsyncEnumerable<ProfileUpdate> BulkRows()
    {
        await Task.Yield();
        yield return ProfileUpdate.ForThirdPartyId("t-0").Set("a", "0");
        yield return null!;
        yield return ProfileUpdate.ForThirdPartyId("t-2").Set("a", "2").Set("city", "Zürich");
        yield return ProfileUpdate.ForPcId("pc-3").Set("a", "3");
        yield return ProfileUpdate.ForThirdPartyId("bad+id").Set("a", "4");
        yield return ProfileUpdate.ForThirdPartyId("t-5");
        yield return ProfileUpdate.ForThirdPartyId("t-6").Set("big", new string('x', 300));
        for (int i = 7; i < 15; i++)
        {
            yield return ProfileUpdate.ForThirdPartyId("t-" + i.ToString(System.Globalization.CultureInfo.InvariantCulture)).Set("a", i).Set("b" + (i % 3).ToString(System.Globalization.CultureInfo.InvariantCulture), "v");
        }
    }

    private static string Describe(BulkUploadResult result) =>
        $"submitted {result.Submitted}, sent {result.Sent}, rejected {result.Rejected}\n"
        + string.Join('\n', result.Rejections.Select(r => $"rejected #{r.Index} {r.ProfileId?.Kind}: {r.Reason}")) + "\n"
        + string.Join('\n', result.Batches.Select(b => $"batch from #{b.FirstIndex}: {b.Rows} rows, {b.Bytes} bytes, {b.ApiVersion}"));

    private static async Task<string> StatusOutcomeAsync(IBulkProfileUpdateClient client, BulkBatch? batch)
    {
        try
        {
            var status = await client.GetStatusAsync(batch!);
            return $"{status.State}, size {status.BatchSize}";
        }
        catch (ProfileApiException ex)
        {
            return $"{ex.GetType().Name} status {ex.StatusCode}, transient {ex.IsTransient}";
        }
        catch (ArgumentException ex)
        {
            return $"{ex.GetType().Name} ({ex.ParamName})";
        }
    }

    private static async Task<string> UploadOutcomeAsync(Func<Task<BulkUploadResult>> upload)
    {
        Task<BulkUploadResult> task;
        try
        {
            task = upload();
        }
        catch (Exception ex)
        {
            return "throws " + ex.GetType().Name + " (" + (ex as ArgumentException)?.ParamName + ")";
        }

        try
        {
            await task;
        }
        catch (Exception ex)
        {
            return "task " + task.Status + " " + ex.GetType().Name + " (" + (ex as ArgumentException)?.ParamName + ")";
        }

        return "task " + task.Status;
    }
#endif
}
