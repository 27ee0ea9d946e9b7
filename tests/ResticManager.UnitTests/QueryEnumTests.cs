using System.Text.Json;
using ResticManager.BuildingBlocks;
using ResticManager.Contracts;
using ResticManager.ServiceDefaults;

namespace ResticManager.UnitTests;

/// <summary>A query enum reads exactly what a request body reads: the API's names, never numbers.</summary>
public sealed class QueryEnumTests
{
    static readonly JsonSerializerOptions BodyOptions = CreateBodyOptions();

    [Theory]
    [InlineData("running", JobStatus.Running)]
    [InlineData("Running", JobStatus.Running)]
    [InlineData("missed", JobStatus.Missed)]
    public void A_name_the_api_writes_parses(string value, JobStatus expected)
    {
        Assert.True(QueryEnum<JobStatus>.TryParse(value, out var parsed));
        Assert.Equal(expected, parsed.Value);
        Assert.Null(QueryEnum<JobStatus>.Refusal(value));
    }

    [Theory]
    [InlineData("bogus")]
    [InlineData("2")]
    [InlineData("-1")]
    [InlineData("running,queued")]
    [InlineData("")]
    [InlineData(null)]
    public void Numbers_unknown_names_lists_and_nothing_are_refused(string? value)
    {
        Assert.False(QueryEnum<JobStatus>.TryParse(value, out _));
    }

    [Theory]
    [InlineData("running")]
    [InlineData("RUNNING")]
    [InlineData("bogus")]
    [InlineData("2")]
    [InlineData(" running")]
    public void Query_and_body_agree_on_every_single_value(string value)
    {
        bool body;
        try
        {
            JsonSerializer.Deserialize<JobStatus>(JsonSerializer.Serialize(value), BodyOptions);
            body = true;
        }
        catch (JsonException)
        {
            body = false;
        }

        Assert.Equal(body, QueryEnum<JobStatus>.TryParse(value, out _));
    }

    [Fact]
    public void The_refusal_lists_the_allowed_values_as_the_api_writes_them()
    {
        Assert.Equal(["queued", "dispatched", "running", "succeeded", "warning", "failed", "cancelled", "lost", "missed"], QueryEnum<JobStatus>.AllowedValues);
        Assert.Equal("must be one of: queued, dispatched, running, succeeded, warning, failed, cancelled, lost, missed", QueryEnum<JobStatus>.Refusal("bogus"));
        Assert.Equal("running", new QueryEnum<JobStatus>(JobStatus.Running).ToString());
    }

    // What ASP.NET Core reads request bodies with: the web defaults plus ServiceDefaults' conventions.
    static JsonSerializerOptions CreateBodyOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        Extensions.ConfigureJson(options);
        return options;
    }
}
