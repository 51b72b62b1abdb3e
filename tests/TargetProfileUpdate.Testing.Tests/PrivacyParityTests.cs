using TargetProfileUpdate.Testing;

namespace TargetProfileUpdate.Testing.Tests;

/// <summary>
/// <see cref="FakeProfilePrivacyClient"/> held to the real <see cref="ProfilePrivacyClient"/>'s rules (issue 23): each usage
/// error ends the same way with both (thrown at once with the same exception and parameter, or a canceled task), and a
/// deletion suppresses its ids in both. None of these reach the network.
/// </summary>
public sealed class PrivacyParityTests
{
    public enum UsageError
    {
        NullIds,
        NullRegulation,
        NoIds,
        NullIdInTheList,
        RegulationWithASpace,
        RegulationTooLong,
        AlreadyCanceledToken,
    }

    [Theory]
    [InlineData(UsageError.NullIds)]
    [InlineData(UsageError.NullRegulation)]
    [InlineData(UsageError.NoIds)]
    [InlineData(UsageError.NullIdInTheList)]
    [InlineData(UsageError.RegulationWithASpace)]
    [InlineData(UsageError.RegulationTooLong)]
    [InlineData(UsageError.AlreadyCanceledToken)]
    public async Task RequestDeletionAsync_UsageErrors_EndExactlyAsWithTheRealClient(UsageError scenario)
    {
        using var real = new ProfilePrivacyClient(RealOptions());
        var fake = new FakeProfilePrivacyClient();

        var expected = await OutcomeAsync(real, scenario);
        var actual = await OutcomeAsync(fake, scenario);

        Assert.Equal(expected, actual);
        Assert.Empty(fake.Requests);
    }

    [Fact]
    public async Task RequestDeletionAsync_SuppressesTheIdsAndCountsRequestsOf1000_LikeTheRealClient()
    {
        var fake = new FakeProfilePrivacyClient();
        var ids = Enumerable.Range(0, 2500).Select(i => ProfileId.FromThirdPartyId("crm-" + i)).Append(ProfileId.FromThirdPartyId("crm-0")).ToList();

        var result = await fake.RequestDeletionAsync(ids, PrivacyRegulation.Gdpr);

        Assert.Equal(3, result.Requests);
        Assert.Equal(2500, result.Jobs.Count);
        Assert.True(await fake.Suppression.ContainsAsync(ids[1234]));
        var status = await result.Jobs[0].GetStatusAsync();
        Assert.Equal((PrivacyJobState.Complete, PrivacyTargetOutcome.Complete, PrivacyAction.Delete), (status.State, status.TargetOutcome, status.Action));
    }

    private static TargetProfileUpdateOptions RealOptions()
    {
        var options = new TargetProfileUpdateOptions { ClientCode = "parity" };
        options.AdobeIms.ClientId = "client-1";
        options.AdobeIms.ClientSecret = "secret-1";
        options.AdobeIms.Scopes = "openid";
        options.AdobeIms.Tenant = "parity";
        options.Privacy.ImsOrgId = "0123456789ABCDEF01234567@AdobeOrg";
        return options;
    }

    /// <summary>How the call ended: "throws {type} {param}" at once, or "task {status} {type}".</summary>
    private static async Task<string> OutcomeAsync(IProfilePrivacyClient client, UsageError scenario)
    {
        using var cts = new CancellationTokenSource();
        if (scenario == UsageError.AlreadyCanceledToken)
        {
            await cts.CancelAsync();
        }

        IEnumerable<ProfileId> ids = scenario switch
        {
            UsageError.NullIds => null!,
            UsageError.NoIds => [],
            UsageError.NullIdInTheList => [ProfileId.FromThirdPartyId("crm-1"), null!],
            _ => [ProfileId.FromThirdPartyId("crm-1")],
        };
        string regulation = scenario switch
        {
            UsageError.NullRegulation => null!,
            UsageError.RegulationWithASpace => "gd pr",
            UsageError.RegulationTooLong => new string('a', 65),
            _ => PrivacyRegulation.Gdpr,
        };

        Task task;
        try
        {
            task = client.RequestDeletionAsync(ids, regulation, cts.Token);
        }
        catch (ArgumentException ex)
        {
            return "throws " + ex.GetType().Name + " " + ex.ParamName;
        }

        var error = await Record.ExceptionAsync(() => task);
        return "task " + task.Status + " " + error?.GetType().Name;
    }
}
