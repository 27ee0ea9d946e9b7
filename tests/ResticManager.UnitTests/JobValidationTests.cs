using ResticManager.Jobs;
using ResticManager.Protocol;

namespace ResticManager.UnitTests;

public sealed class JobValidationTests
{
    static bool Valid(CreateJobRequest request) => !JobValidation.Validate(request).Any;

    [Fact]
    public void Each_kind_gets_what_it_needs_and_nothing_else()
    {
        Assert.True(Valid(new CreateJobRequest(JobKind.Backup, ["/srv"], null, ["daily"], null, null, 3600)));
        Assert.False(Valid(new CreateJobRequest(JobKind.Backup, null, null, null, null, null, null)));
        Assert.False(Valid(new CreateJobRequest(JobKind.Backup, ["/srv"], null, ["a,b"], null, null, null)));
        Assert.True(Valid(new CreateJobRequest(JobKind.Forget, null, null, null, new RetentionPolicy(KeepWithin: "7d"), null, null)));
        Assert.False(Valid(new CreateJobRequest(JobKind.Forget, null, null, null, new RetentionPolicy(), null, null)));
        Assert.False(Valid(new CreateJobRequest(JobKind.Forget, null, null, null, new RetentionPolicy(KeepLast: -1, KeepDaily: 3), null, null)));
        Assert.True(Valid(new CreateJobRequest(JobKind.Check, null, null, null, null, new JobOptions(ReadDataSubsetPercent: 5), null)));
        Assert.False(Valid(new CreateJobRequest(JobKind.Check, null, null, null, null, new JobOptions(ReadDataSubsetPercent: 0), null)));
        Assert.False(Valid(new CreateJobRequest(JobKind.Prune, ["/srv"], null, null, null, null, null)));
        Assert.False(Valid(new CreateJobRequest(null, null, null, null, null, null, null)));
        Assert.False(Valid(new CreateJobRequest(JobKind.Unlock, null, null, null, null, null, 0)));
    }
}
