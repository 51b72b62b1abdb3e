using System.Net;
using Microsoft.Extensions.Logging;
using TargetProfileUpdate.Tests.TestSupport;

namespace TargetProfileUpdate.Tests.Diagnostics;

/// <summary>Runs every outcome with a Trace-level logger on every category (HttpClientFactory's included) and looks for secrets.</summary>
public sealed class PrivacyTests
{
    private const string Id = PersonalData.Id;
    private const string Value = PersonalData.Value;
    private const string Token = PersonalData.Token;

    private static ProfileUpdate Update() => PersonalData.Update();

    [Fact]
    public async Task Logs_AcrossSuccessRetryAndFailure_NeverContainIdsValuesOrToken()
    {
        using var logs = FakeLogs.Provider();
        var handler = new RecordingHandler()
            .Then(RecordingHandler.Text(HttpStatusCode.ServiceUnavailable, "busy " + Id))
            .Then(RecordingHandler.Ok())
            .Then(RecordingHandler.Text(HttpStatusCode.BadRequest, "bad request for " + Id + " " + Value));
        var (client, _, _) = TestClients.Create(o => { o.AuthorizationToken = Token; o.Method = ProfileUpdateMethod.Auto; }, handler, loggerProvider: logs);

        await client.UpdateAsync(Update());
        var ex = await Assert.ThrowsAsync<ProfileApiException>(() => client.UpdateAsync(Update()));

        var records = logs.Collector.GetSnapshot();
        Assert.Contains(records, e => e.Id.Name == "ProfileUpdateSending" && e.Level == LogLevel.Debug);
        Assert.Contains(records, e => e.Id.Name == "ProfileUpdateRetrying" && e.Level == LogLevel.Debug);
        Assert.Contains(records, e => e.Id.Name == "ProfileUpdateFailed" && e.Level == LogLevel.Warning);
        Assert.DoesNotContain(records, e => e.Level >= LogLevel.Warning && e.Id.Name == "ProfileUpdateRetrying");
        PersonalData.AssertAbsentFrom(records.Select(e => e.Text()).Append(ex.ToString()).Append(ex.ResponseBody ?? string.Empty));
    }

    [Fact]
    public async Task Logs_OfATooLargeUpdate_NeverContainTheValue()
    {
        using var logs = FakeLogs.Provider();
        var (client, _, _) = TestClients.Create(o => o.MaxPostRequestBytes = 10, loggerProvider: logs);
        var update = ProfileUpdate.ForThirdPartyId(Id).Set("segment", Value + new string('x', 9000));

        var ex = await Assert.ThrowsAsync<ProfileUpdateTooLargeException>(() => client.UpdateAsync(update));

        var records = logs.Collector.GetSnapshot();
        Assert.Contains(records, e => e.Id.Name == "ProfileUpdateTooLarge");
        Assert.DoesNotContain(records, e => e.Text().Contains(Id, StringComparison.Ordinal) || e.Text().Contains(Value, StringComparison.Ordinal));
        Assert.DoesNotContain(Id, ex.ToString(), StringComparison.Ordinal);
    }
}
