using System.Net.Http.Headers;
using TargetProfileUpdate.Emulator.Tests.TestSupport;

namespace TargetProfileUpdate.Emulator.Tests.Endpoints;

/// <summary>The Admin API's attribute list, <c>GET /{tenant}/target/profileattributes/mbox</c>, behind IMS like the token endpoint.</summary>
public sealed class ProfileAttributesEndpointTests
{
    [Fact]
    public async Task ProfileAttributes_ListsEveryNameSeededOrStored_InAdobesSampleShape()
    {
        var options = Wire.ImsOptions();
        options.RequireAuthentication = false;
        options.PropagationDelay = TimeSpan.Zero;
        options.Profiles.Add(new ProfileSeed { ThirdPartyId = "crm-1", Attributes = { ["loyaltyTier"] = "gold" } });
        await using var emulator = await TargetEmulator.StartAsync(options);
        using var http = Wire.Client(emulator);
        await Wire.UpdateAsync(http, "crm-1", token: null);
        await Wire.BatchUpdateAsync(http, "thirdPartyId,entity.id\ncrm-2,42");

        using var request = Attributes(await Wire.ImsAccessTokenAsync(http));
        using var response = await http.SendAsync(request);

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("application/vnd.adobe.target.v1+json", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("""{"mboxProfileAttributes":["a","entity.id","loyaltyTier"]}""", await response.Content.ReadAsStringAsync());
        Assert.Equal("profile-attributes", emulator.GetRequests()[^1].Outcome);
        Assert.Equal(["a", "entity.id", "loyaltyTier"], emulator.GetAttributeNames());
    }

    [Theory]
    [InlineData(false, Wire.ClientId, "demo", 401)]
    [InlineData(true, "other-key", "demo", 401)]
    [InlineData(true, Wire.ClientId, "other-tenant", 404)]
    public async Task ProfileAttributes_WithoutTheImsTokenApiKeyOrTenant_IsRefused(bool withToken, string apiKey, string tenant, int expected)
    {
        await using var emulator = await TargetEmulator.StartAsync(Wire.ImsOptions());
        using var http = Wire.Client(emulator);
        string token = withToken ? await Wire.ImsAccessTokenAsync(http) : "not-an-ims-token";

        using var request = Attributes(token, tenant, apiKey);
        using var response = await http.SendAsync(request);

        Assert.Equal(expected, (int)response.StatusCode);
        Assert.Contains("\"httpStatus\":" + expected, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProfileAttributes_WithALowerCaseBearerScheme_IsAccepted()
    {
        await using var emulator = await TargetEmulator.StartAsync(Wire.ImsOptions());
        using var http = Wire.Client(emulator);
        string token = await Wire.ImsAccessTokenAsync(http);

        using var request = Attributes(token);
        request.Headers.Authorization = new AuthenticationHeaderValue("bearer", token);
        using var response = await http.SendAsync(request);

        Assert.Equal(200, (int)response.StatusCode);
    }

    [Fact]
    public async Task ProfileAttributes_AFault_FailsOnlyThatCall()
    {
        await using var emulator = await TargetEmulator.StartAsync(Wire.ImsOptions());
        emulator.InjectFaults(EmulatorFault.Status(500).For(EmulatorFaultTarget.ProfileAttributes));
        using var http = Wire.Client(emulator);
        string token = await Wire.ImsAccessTokenAsync(http);

        using var first = Attributes(token);
        using var second = Attributes(token);

        Assert.Equal(500, (int)(await http.SendAsync(first)).StatusCode);
        Assert.Equal(200, (int)(await http.SendAsync(second)).StatusCode);
    }

    private static HttpRequestMessage Attributes(string imsToken, string tenant = "demo", string apiKey = Wire.ClientId)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, $"{tenant}/target/profileattributes/mbox");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", imsToken);
        request.Headers.Add("X-Api-Key", apiKey);
        request.Headers.Accept.ParseAdd("application/vnd.adobe.target.v1+json");
        return request;
    }
}
