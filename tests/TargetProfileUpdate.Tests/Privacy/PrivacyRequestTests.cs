using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;

namespace TargetProfileUpdate.Tests.Privacy;

/// <summary>Job requests on the wire: exact bodies and headers, splitting into requests of at most 1,000 users, keys, errors.</summary>
public sealed class PrivacyRequestTests
{
    [Fact]
    public async Task RequestDeletionAsync_OfOneThirdPartyId_SendsTheDocumentedBodyAndHeaders()
    {
        var service = new FakePrivacyService();
        await using var provider = service.CreateProvider();
        var client = provider.GetRequiredService<IProfilePrivacyClient>();
        var id = ProfileId.FromThirdPartyId("crm-42");

        var job = await client.RequestDeletionAsync(id, PrivacyRegulation.Gdpr);

        var create = Assert.Single(service.Creates);
        string key = FakePrivacyService.ExpectedKey(id);
        Assert.Equal(
            "{\"companyContexts\":[{\"namespace\":\"imsOrgID\",\"value\":\"0123456789ABCDEF01234567@AdobeOrg\"}],"
            + "\"users\":[{\"key\":\"" + key + "\",\"action\":[\"delete\"],\"userIDs\":[{\"namespace\":\"THIRDPARTYID\",\"value\":\"crm-42\",\"type\":\"target\"}]}],"
            + "\"include\":[\"Target\"],\"regulation\":\"gdpr\"}",
            create.BodyText);
        Assert.Equal("Bearer " + service.ImsToken, create.Headers["authorization"]);
        Assert.Equal(FakePrivacyService.ClientId, create.Headers["x-api-key"]);
        Assert.Equal(FakePrivacyService.OrgId, create.Headers["x-gw-ims-org-id"]);
        Assert.Equal("application/json", create.Headers["content-type"]);
        Assert.Equal("job-1", job.Id);
        Assert.Equal(PrivacyAction.Delete, job.Action);
        Assert.Equal(key, job.UserKey);
        Assert.Equal(id, job.ProfileId);
    }

    [Theory]
    [InlineData(ProfileIdKind.MarketingCloudVisitorId, "ECID", "standard")]
    [InlineData(ProfileIdKind.PcId, "TNTID", "standard")]
    [InlineData(ProfileIdKind.ThirdPartyId, "THIRDPARTYID", "target")]
    public async Task RequestAccessAsync_ForEachIdKind_UsesTargetsNamespaceAndType(ProfileIdKind kind, string ns, string type)
    {
        var service = new FakePrivacyService();
        await using var provider = service.CreateProvider();
        var client = provider.GetRequiredService<IProfilePrivacyClient>();
        var id = kind switch
        {
            ProfileIdKind.PcId => ProfileId.FromPcId("1368007744041-575948.01_00"),
            ProfileIdKind.ThirdPartyId => ProfileId.FromThirdPartyId("crm-42"),
            _ => ProfileId.FromMarketingCloudVisitorId("12345678901234567890123456789012345678"),
        };

        await client.RequestAccessAsync([id], PrivacyRegulation.Ccpa);

        using var body = JsonDocument.Parse(Assert.Single(service.Creates).Body);
        var user = body.RootElement.GetProperty("users")[0];
        Assert.Equal("access", user.GetProperty("action")[0].GetString());
        var userId = user.GetProperty("userIDs")[0];
        Assert.Equal(ns, userId.GetProperty("namespace").GetString());
        Assert.Equal(id.Value, userId.GetProperty("value").GetString());
        Assert.Equal(type, userId.GetProperty("type").GetString());
        Assert.Equal("ccpa", body.RootElement.GetProperty("regulation").GetString());
    }

    [Fact]
    public async Task RequestDeletionAsync_Of2500Ids_SendsThreeRequestsOf1000_1000_500_AndOneJobPerId()
    {
        var service = new FakePrivacyService();
        await using var provider = service.CreateProvider();
        var client = provider.GetRequiredService<IProfilePrivacyClient>();
        var ids = Enumerable.Range(0, 2500).Select(i => ProfileId.FromThirdPartyId("user-" + i)).ToList();

        var result = await client.RequestDeletionAsync(ids, PrivacyRegulation.Gdpr);

        var sizes = service.Creates.Select(c => JsonDocument.Parse(c.Body).RootElement.GetProperty("users").GetArrayLength()).ToList();
        Assert.Equal([1000, 1000, 500], sizes);
        Assert.Equal(3, result.Requests);
        Assert.Equal(ids, result.Jobs.Select(j => j.ProfileId));
        Assert.Equal(2500, result.Jobs.Select(j => j.Id).Distinct().Count());
        var firstUsers = JsonDocument.Parse(service.Creates.ElementAt(1).Body).RootElement.GetProperty("users");
        Assert.Equal("user-1000", firstUsers[0].GetProperty("userIDs")[0].GetProperty("value").GetString());
    }

    [Fact]
    public async Task RequestDeletionAsync_WithTheSameIdTwice_SendsOneUser()
    {
        var service = new FakePrivacyService();
        await using var provider = service.CreateProvider();
        var client = provider.GetRequiredService<IProfilePrivacyClient>();

        var result = await client.RequestDeletionAsync([ProfileId.FromPcId("a"), ProfileId.FromPcId("a"), ProfileId.FromThirdPartyId("a")], "gdpr");

        Assert.Equal(2, result.Jobs.Count);
    }

    [Fact]
    public void UserKey_IsAnHmacOfTheId_NeverTheIdItself_AndDependsOnTheSecret()
    {
        var id = ProfileId.FromThirdPartyId("jane.doe@example.com");
        string key = FakePrivacyService.ExpectedKey(id);

        Assert.DoesNotContain("jane", key, StringComparison.OrdinalIgnoreCase);
        Assert.NotEqual(key, FakePrivacyService.ExpectedKey(id, new string('z', 40)));
        Assert.NotEqual(key, FakePrivacyService.ExpectedKey(ProfileId.FromPcId(id.Value)));
    }

    [Fact]
    public async Task RequestDeletionAsync_WhenTheSecondRequestFails_ThrowsWithTheFirstRequestsJobs()
    {
        var service = new FakePrivacyService { FailCreate = (2, HttpStatusCode.BadRequest) };
        await using var provider = service.CreateProvider();
        var client = provider.GetRequiredService<IProfilePrivacyClient>();
        var ids = Enumerable.Range(0, 1500).Select(i => ProfileId.FromThirdPartyId("user-" + i)).ToList();

        var ex = await Assert.ThrowsAsync<PrivacyRequestException>(() => client.RequestDeletionAsync(ids, "gdpr"));

        Assert.Equal(1000, ex.PartialResult.Jobs.Count);
        Assert.Equal(1, ex.PartialResult.Requests);
        Assert.Equal(1000, ex.FirstUnsentIndex);
        Assert.Equal(400, ex.StatusCode);
        Assert.False(ex.IsTransient);
        Assert.Null(ex.ResponseBody);
    }

    [Fact]
    public async Task RequestDeletionAsync_WhenTheSecondRequestFails_CarriesTheFailedRequestsReasonAndException()
    {
        var service = new FakePrivacyService { FailCreate = (2, HttpStatusCode.Forbidden) };
        await using var provider = service.CreateProvider();
        var client = provider.GetRequiredService<IProfilePrivacyClient>();
        var ids = Enumerable.Range(0, 1500).Select(i => ProfileId.FromThirdPartyId("user-" + i)).ToList();

        var ex = await Assert.ThrowsAsync<PrivacyRequestException>(() => client.RequestDeletionAsync(ids, "gdpr"));

        Assert.Equal(ProfileApiFailureReason.Authentication, ex.Reason);
        Assert.IsType<ProfileApiAuthenticationException>(ex.InnerException);
        Assert.Equal(1000, ex.PartialResult.Jobs.Count);
    }

    [Theory]
    [InlineData(HttpStatusCode.Unauthorized)]
    [InlineData(HttpStatusCode.Forbidden)]
    public async Task RequestDeletionAsync_WhenPrivacyServiceRefusesTheToken_ThrowsAuthenticationAfterOneRefresh(HttpStatusCode status)
    {
        var service = new FakePrivacyService { FailCreate = (1, status) };
        await using var provider = service.CreateProvider(o => o.Resilience.Enabled = false);
        var client = provider.GetRequiredService<IProfilePrivacyClient>();

        var ex = await Assert.ThrowsAsync<ProfileApiAuthenticationException>(() => client.RequestDeletionAsync(ProfileId.FromThirdPartyId("a"), "gdpr"));

        Assert.Equal(ProfileApiFailureReason.Authentication, ex.Reason);
        Assert.Equal((int)status, ex.StatusCode);
        Assert.Contains("Privacy Service API", ex.Message, StringComparison.Ordinal);
        Assert.Equal(2, service.Creates.Count());
        Assert.Equal(2, service.Requests.Count(r => r.Url == FakePrivacyService.ImsTokenUrl));
    }

    [Fact]
    public async Task GetJobStatusAsync_OfAnUnknownJob_Throws404WithTheRetentionHint()
    {
        var service = new FakePrivacyService { Status = _ => null };
        await using var provider = service.CreateProvider(o => o.Resilience.Enabled = false);
        var client = provider.GetRequiredService<IProfilePrivacyClient>();

        var ex = await Assert.ThrowsAsync<ProfileApiException>(() => client.GetJobStatusAsync("job-404"));

        Assert.Equal(ProfileApiFailureReason.HttpError, ex.Reason);
        Assert.Equal(404, ex.StatusCode);
        Assert.Contains("30 days", ex.Message, StringComparison.Ordinal);
        Assert.Null(ex.ResponseBody);
    }

    [Fact]
    public async Task GetJobStatusAsync_WhenTheAnswerIsNotJson_ThrowsUnexpectedAnswer()
    {
        var service = new FakePrivacyService { Status = _ => "<html>maintenance</html>" };
        await using var provider = service.CreateProvider(o => o.Resilience.Enabled = false);
        var client = provider.GetRequiredService<IProfilePrivacyClient>();

        var ex = await Assert.ThrowsAsync<ProfileApiException>(() => client.GetJobStatusAsync("job-1"));

        Assert.Equal(ProfileApiFailureReason.UnexpectedAnswer, ex.Reason);
    }

    [Fact]
    public async Task RequestDeletionAsync_WithBadInput_ThrowsBeforeSendingAndNamesTheProblem()
    {
        var service = new FakePrivacyService();
        await using var provider = service.CreateProvider();
        var client = provider.GetRequiredService<IProfilePrivacyClient>();

        var nullId = Assert.Throws<ArgumentNullException>(() => { _ = client.RequestDeletionAsync([ProfileId.FromPcId("a"), null!], "gdpr"); });
        Assert.Contains("position 1", nullId.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => { _ = client.RequestDeletionAsync([], "gdpr"); });
        var regulation = Assert.Throws<ArgumentException>(() => { _ = client.RequestDeletionAsync([ProfileId.FromPcId("a")], "g dpr"); });
        Assert.Equal("regulation", regulation.ParamName);
        Assert.Empty(service.Requests);
    }

    [Fact]
    public async Task RequestDeletionAsync_WithoutImsOrgId_ThrowsNamingTheSetting()
    {
        var service = new FakePrivacyService();
        await using var provider = service.CreateProvider(o => o.Privacy.ImsOrgId = null);
        var client = provider.GetRequiredService<IProfilePrivacyClient>();

        var ex = Assert.Throws<InvalidOperationException>(() => { _ = client.RequestDeletionAsync([ProfileId.FromPcId("a")], "gdpr"); });

        Assert.Contains("TargetProfileUpdate:Privacy:ImsOrgId", ex.Message, StringComparison.Ordinal);
        Assert.Empty(service.Requests);
    }

    [Fact]
    public async Task RequestDeletionAsync_WithoutImsCredential_ThrowsNamingTheSettings()
    {
        var service = new FakePrivacyService();
        await using var provider = service.CreateProvider(o => o.AdobeIms.ClientId = null);
        var client = provider.GetRequiredService<IProfilePrivacyClient>();

        var ex = Assert.Throws<InvalidOperationException>(() => { _ = client.GetJobStatusAsync("job-1"); });

        Assert.Contains("TargetProfileUpdate:AdobeIms:ClientId", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Options_WithABadOrgIdOrShortSecret_FailAtStartNamingTheKeys()
    {
        var service = new FakePrivacyService();
        await using var provider = service.CreateProvider(o => { o.Privacy.ImsOrgId = "not-an-org"; o.Privacy.HashSecret = "short"; });

        var ex = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => provider.GetRequiredService<IProfilePrivacyClient>());

        Assert.Contains(ex.Failures, f => f.Contains("Privacy:ImsOrgId", StringComparison.Ordinal));
        Assert.Contains(ex.Failures, f => f.Contains("Privacy:HashSecret", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ProfilePrivacyClient_WithoutDi_SendsTheSameRequest()
    {
        var service = new FakePrivacyService();
        var options = new TargetProfileUpdateOptions { ClientCode = "demo" };
        FakePrivacyService.Configure(options);
        using var client = new ProfilePrivacyClient(options, null, null, service);

        var result = await client.RequestAccessAsync([ProfileId.FromThirdPartyId("crm-42")], "gdpr");

        Assert.Single(result.Jobs);
        Assert.Contains(FakePrivacyService.ExpectedKey(ProfileId.FromThirdPartyId("crm-42")), Assert.Single(service.Creates).BodyText, StringComparison.Ordinal);
    }
}
