using Microsoft.Extensions.DependencyInjection;
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
}
