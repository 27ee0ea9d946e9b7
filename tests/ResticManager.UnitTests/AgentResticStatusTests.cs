using ResticManager.Agent.Restic;
using ResticManager.Protocol;

namespace ResticManager.UnitTests;

/// <summary>restic's status output, kept cheap for the agent while a backup needs the CPU.</summary>
public sealed class AgentResticStatusTests
{
    [Theory]
    [InlineData("""{"message_type":"status","percent_done":0.16,"total_files":1,"bytes_done":3287658}""", true)]
    [InlineData("""{"message_type":"summary","files_new":1,"total_duration":0.65,"snapshot_id":"f9ab7669"}""", false)]
    [InlineData("""{"message_type":"error","error":{},"during":"archival","item":"/x"}""", false)]
    [InlineData("created new cache in /tmp/cache", false)]
    public void Status_lines_are_told_apart_without_parsing_them(string line, bool status)
    {
        Assert.Equal(status, ResticOutput.IsStatusLine(line));
        if (status)
        {
            Assert.True(ResticOutput.TryParseLine(line, out var json));
            Assert.Equal("status", ResticOutput.MessageType(json));
        }
    }

    [Fact]
    public void Restic_prints_its_status_twice_a_second_whatever_the_agents_environment_says()
    {
        var repository = new RepositoryConfig("/srv/restic", "p", null, null, new Dictionary<string, string> { ["RESTIC_PROGRESS_FPS"] = "60" }, null, null);

        var start = ResticInvocation.StartInfo("restic", ["backup", "--json", "--", "/data"], repository, "/tmp/cache");

        Assert.Equal("2", start.Environment["RESTIC_PROGRESS_FPS"]);
    }
}
