using Microsoft.Extensions.DependencyInjection;
using TargetProfileUpdate.Emulator;

namespace TargetProfileUpdate.IntegrationTests.Privacy;

/// <summary>
/// Issue 23 end to end against the emulator's Privacy Service: erase people, the jobs complete, the profiles are gone, and
/// every later update, bulk row and import for them is refused before anything is sent. Access jobs, unknown people, failed
/// jobs, jobs followed from another instance, and the privacy of everything the SDK logs, traces and throws.
/// </summary>
public sealed class PrivacyEndToEndTests
{
    private const string JobsPath = "/data/core/privacy/jobs";
    private const string Value = "platinum-secret-value";

    private static string Person(int i) => "person." + i.ToString("D4", System.Globalization.CultureInfo.InvariantCulture) + "@example.com";

    [Fact]
    public async Task Delete2500_SendsThreeExactRequests_JobsComplete_Profiles404_AndLaterWritesAreRefusedBeforeSending()
    {
        await using var rig = await PrivacyRig.StartAsync();
        var people = Enumerable.Range(0, 2500).Select(Person).ToList();
        foreach (string person in people)
        {
            rig.Emulator.SeedProfile(thirdPartyId: person, attributes: new Dictionary<string, string> { ["tier"] = Value });
        }

        var ids = people.Select(ProfileId.FromThirdPartyId).ToList();
        var result = await rig.Privacy.RequestDeletionAsync(ids, PrivacyRegulation.Gdpr);

        // Three requests of 1,000, 1,000 and 500 users, byte for byte, with the documented headers.
        var creates = rig.Emulator.GetRequests().Where(r => r.Method == "POST" && r.Path == JobsPath).ToList();
        Assert.Equal(3, result.Requests);
        Assert.Equal(3, creates.Count);
        Assert.Equal(PrivacyRig.ExpectedBody(people.Take(1000), "delete", "gdpr"), creates[0].RawBody);
        Assert.Equal(PrivacyRig.ExpectedBody(people.Skip(1000).Take(1000), "delete", "gdpr"), creates[1].RawBody);
        Assert.Equal(PrivacyRig.ExpectedBody(people.Skip(2000), "delete", "gdpr"), creates[2].RawBody);
        Assert.All(creates, c =>
        {
            Assert.Equal(200, c.StatusCode);
            Assert.Equal("Bearer ***", c.Headers["Authorization"]);
            Assert.Equal("***", c.Headers["x-api-key"]);
            Assert.Equal(PrivacyRig.OrgId, c.Headers["x-gw-ims-org-id"]);
            Assert.Equal("application/json", c.Headers["Content-Type"]);
        });
        Assert.Equal(2500, result.Jobs.Count);
        Assert.Equal(ids, result.Jobs.Select(j => j.ProfileId));
        Assert.Equal(2500, result.Jobs.Select(j => j.Id).Distinct().Count());
        Assert.All(result.Jobs, j => Assert.Equal(PrivacyAction.Delete, j.Action));

        // Processing until the emulator's delay has passed; then every job is complete and Target says deleted.
        var before = await result.Jobs[0].GetStatusAsync();
        Assert.Equal(PrivacyJobState.Processing, before.State);
        Assert.Equal(PrivacyTargetOutcome.Pending, before.TargetOutcome);
        rig.Time.Advance(PrivacyRig.ProcessingDelay + TimeSpan.FromSeconds(1));
        var statuses = new PrivacyJobStatus[result.Jobs.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, result.Jobs.Count), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) =>
            statuses[i] = await result.Jobs[i].WaitForCompletionAsync(TimeSpan.FromSeconds(1), ct));
        Assert.All(statuses, s =>
        {
            Assert.Equal(PrivacyJobState.Complete, s.State);
            Assert.Equal(PrivacyTargetOutcome.Complete, s.TargetOutcome);
        });

        // Every profile is gone: the fetch answers 404.
        var fetched = new TargetProfile?[ids.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, ids.Count), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) =>
            fetched[i] = await rig.Fetch.GetProfileAsync(ids[i], ct));
        Assert.All(fetched, Assert.Null);

        // Every id is on the suppression list; a single update and a bulk import of the same ids send nothing for them.
        foreach (var id in ids)
        {
            Assert.True(await rig.Suppression.ContainsAsync(id));
        }

        long sequenceBefore = rig.Emulator.GetRequests().Max(r => r.Sequence);
        var refused = await Assert.ThrowsAsync<ProfileSuppressedException>(() => rig.Updates.UpdateAsync(ProfileUpdate.ForThirdPartyId(people[7]).Set("tier", Value)));
        Assert.Equal(ProfileApiFailureReason.Suppressed, refused.Reason);
        var import = await rig.Bulk.UploadAsync(people.Select(p => ProfileUpdate.ForThirdPartyId(p).Set("tier", Value)).Append(ProfileUpdate.ForThirdPartyId("someone-else").Set("tier", "gold")));
        Assert.Equal(2500, import.Rejected);
        Assert.Equal(1, import.Sent);
        Assert.All(import.Rejections, r => Assert.True(r.IsSuppressed));
        Assert.Equal(Enumerable.Range(0, 2500).Select(i => (long)i), import.Rejections.Select(r => r.Index));
        var after = rig.Emulator.GetRequests().Where(r => r.Sequence > sequenceBefore).ToList();
        Assert.DoesNotContain(after, r => r.Path.Contains("/profile/update", StringComparison.Ordinal));
        var batch = Assert.Single(after, r => r.Path.Contains("batchUpdate", StringComparison.Ordinal));
        Assert.DoesNotContain("person.", batch.RawBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Access_OfAnExistingProfile_CompletesAndNamesItsAttributes_AnUnknownIdEndsNotFound()
    {
        await using var rig = await PrivacyRig.StartAsync();
        rig.Emulator.SeedProfile(thirdPartyId: Person(1), attributes: new Dictionary<string, string> { ["tier"] = Value, ["favouriteColour"] = "teal" });

        var known = await rig.Privacy.RequestAccessAsync(ProfileId.FromThirdPartyId(Person(1)), PrivacyRegulation.Ccpa);
        var unknown = await rig.Privacy.RequestAccessAsync(ProfileId.FromThirdPartyId(Person(2)), PrivacyRegulation.Ccpa);
        rig.Time.Advance(PrivacyRig.ProcessingDelay + TimeSpan.FromSeconds(1));
        var knownStatus = await known.WaitForCompletionAsync();
        var unknownStatus = await unknown.WaitForCompletionAsync();

        Assert.Equal(PrivacyJobState.Complete, knownStatus.State);
        Assert.Equal(PrivacyTargetOutcome.Complete, knownStatus.TargetOutcome);
        Assert.Equal(PrivacyAction.Access, knownStatus.Action);
        Assert.Equal(["favouriteColour", "tier"], knownStatus.AttributeNames.Order(StringComparer.Ordinal));
        Assert.NotNull(knownStatus.DownloadUrl);
        Assert.Equal(PrivacyJobState.Complete, unknownStatus.State);
        Assert.Equal(PrivacyTargetOutcome.NotFound, unknownStatus.TargetOutcome);
        Assert.Empty(unknownStatus.AttributeNames);
        Assert.False(await rig.Suppression.ContainsAsync(ProfileId.FromThirdPartyId(Person(1))));
        Assert.NotNull(rig.Emulator.FindByThirdPartyId(Person(1)));
    }

    [Fact]
    public async Task Job_LookedUpByIdAloneFromAnotherInstance_GivesTheSameStatus()
    {
        await using var rig = await PrivacyRig.StartAsync();
        rig.Emulator.SeedProfile(thirdPartyId: Person(3), attributes: new Dictionary<string, string> { ["tier"] = Value });
        var job = await rig.Privacy.RequestDeletionAsync(ProfileId.FromThirdPartyId(Person(3)), PrivacyRegulation.Gdpr);
        rig.Time.Advance(PrivacyRig.ProcessingDelay + TimeSpan.FromSeconds(1));
        var here = await job.WaitForCompletionAsync();

        await using var other = rig.CreateOtherInstance();
        var rebuilt = other.GetRequiredService<IProfilePrivacyClient>().GetJob(job.Id);
        var there = await rebuilt.GetStatusAsync();

        Assert.Equal(here.JobId, there.JobId);
        Assert.Equal(here.State, there.State);
        Assert.Equal(here.TargetOutcome, there.TargetOutcome);
        Assert.Equal(here.Action, there.Action);
        Assert.Equal(here.UserKey, there.UserKey);
        Assert.Equal(PrivacyRig.ExpectedKey(ProfileId.FromThirdPartyId(Person(3))), there.UserKey);
        Assert.Null(rebuilt.ProfileId);
    }

    [Fact]
    public async Task Delete_WhenTargetFailsTheJob_EndsInErrorWithTargetsMessage_AndTheProfileStays()
    {
        await using var rig = await PrivacyRig.StartAsync();
        rig.Emulator.SeedProfile(thirdPartyId: Person(4), attributes: new Dictionary<string, string> { ["tier"] = Value });
        rig.Emulator.InjectFaults(EmulatorFault.FailPrivacyJob("Target is unavailable"));

        var job = await rig.Privacy.RequestDeletionAsync(ProfileId.FromThirdPartyId(Person(4)), PrivacyRegulation.Gdpr);
        rig.Time.Advance(PrivacyRig.ProcessingDelay + TimeSpan.FromSeconds(1));
        var status = await job.WaitForCompletionAsync();

        Assert.Equal(PrivacyJobState.Error, status.State);
        Assert.Equal(PrivacyTargetOutcome.Error, status.TargetOutcome);
        Assert.Equal("Target is unavailable", status.TargetMessage);
        Assert.NotNull(rig.Emulator.FindByThirdPartyId(Person(4)));

        // The deletion was requested, so the person stays suppressed even though Target failed: the job can be requested again.
        Assert.True(await rig.Suppression.ContainsAsync(ProfileId.FromThirdPartyId(Person(4))));
    }

    [Fact]
    public async Task PrivacyFlows_AtTraceLevel_PutNoIdKeyOrValueInLogsActivitiesMetricsOrExceptions()
    {
        var measurements = new System.Collections.Concurrent.ConcurrentQueue<string>();
        using var meters = new System.Diagnostics.Metrics.MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == "TargetProfileUpdate")
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        meters.SetMeasurementEventCallback<long>((instrument, _, tags, _) => measurements.Enqueue(instrument.Name + " " + string.Join(",", tags.ToArray().Select(t => t.Key + "=" + t.Value))));
        meters.SetMeasurementEventCallback<double>((instrument, _, tags, _) => measurements.Enqueue(instrument.Name + " " + string.Join(",", tags.ToArray().Select(t => t.Key + "=" + t.Value))));
        meters.Start();
        await using var rig = await PrivacyRig.StartAsync();
        var ids = Enumerable.Range(10, 3).Select(i => ProfileId.FromThirdPartyId(Person(i))).ToList();
        foreach (var id in ids)
        {
            rig.Emulator.SeedProfile(thirdPartyId: id.Value, attributes: new Dictionary<string, string> { ["tier"] = Value });
        }

        var deletion = await rig.Privacy.RequestDeletionAsync(ids.Take(2), PrivacyRegulation.Gdpr);
        var access = await rig.Privacy.RequestAccessAsync(ids[2], PrivacyRegulation.Gdpr);
        rig.Time.Advance(PrivacyRig.ProcessingDelay + TimeSpan.FromSeconds(1));
        var statuses = new List<PrivacyJobStatus> { await access.WaitForCompletionAsync() };
        foreach (var job in deletion.Jobs)
        {
            statuses.Add(await job.WaitForCompletionAsync());
        }

        var refused = await Assert.ThrowsAsync<ProfileSuppressedException>(() => rig.Updates.UpdateAsync(ProfileUpdate.ForThirdPartyId(ids[0].Value).Set("tier", Value)));
        var unknownJob = await Assert.ThrowsAsync<ProfileApiException>(() => rig.Privacy.GetJobStatusAsync("no-such-job"));
        rig.Emulator.InjectFaults(EmulatorFault.Status(500).For(EmulatorFaultTarget.PrivacyJobs));
        var failed = await Assert.ThrowsAsync<ProfileApiException>(() => rig.Privacy.RequestDeletionAsync(ids[2], PrivacyRegulation.Gdpr));

        Assert.Equal(404, unknownJob.StatusCode);
        Assert.Equal(500, failed.StatusCode);
        Assert.Contains(measurements, m => m.StartsWith("target.privacy.jobs action=delete", StringComparison.Ordinal));
        Assert.Contains(measurements, m => m.StartsWith("target.profile.suppressed source=update", StringComparison.Ordinal));
        Assert.Contains(measurements, m => m.StartsWith("target.profile_api.duration endpoint=privacy_status", StringComparison.Ordinal));
        var texts = rig.Logs.Entries.Select(e => e.Text)
            .Concat(rig.ActivityTexts())
            .Concat(measurements)
            .Concat(new Exception[] { refused, unknownJob, failed }.Select(e => e.ToString() + " " + (e is ProfileApiException p ? p.ResponseBody : null)))
            .Concat(statuses.Select(s => s.ToString() + " " + s.TargetMessage + " " + s.TargetResponseDetail))
            .Concat(deletion.Jobs.Select(j => j.ToString()))
            .ToList();
        Assert.NotEmpty(rig.Logs.Entries);
        Assert.Contains(rig.ActivityTexts(), t => t == "TargetProfileUpdate.PrivacyJobs");
        foreach (string secret in ids.SelectMany(id => Encodings(id.Value))
            .Concat(ids.Select(PrivacyRig.ExpectedKey))
            .Concat(Encodings(Value))
            .Append(PrivacyRig.HashSecret)
            .Append(Authentication.ImsRig.ClientSecret))
        {
            Assert.DoesNotContain(texts, t => t.Contains(secret, StringComparison.OrdinalIgnoreCase));
        }
    }

    /// <summary>A value as it could leak: as is, URL-encoded, Base64 and hex of its UTF-8 bytes.</summary>
    private static IEnumerable<string> Encodings(string value)
    {
        byte[] bytes = System.Text.Encoding.UTF8.GetBytes(value);
        return [value, Uri.EscapeDataString(value), Convert.ToBase64String(bytes), Convert.ToHexString(bytes)];
    }
}
