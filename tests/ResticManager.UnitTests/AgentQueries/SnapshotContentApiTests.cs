using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using ResticManager.Contracts;
using ResticManager.Protocol;
using ResticManager.Snapshots;

namespace ResticManager.UnitTests;

/// <summary>The browse and download endpoints over the requester, with the agent's side scripted.</summary>
public sealed class SnapshotContentApiTests(AgentQueryServer fixture) : IClassFixture<AgentQueryServer>
{
    const string SnapshotId = "5f1c3e0d9a7b44b2a1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8";

    /// <summary>An online agent whose catalogue holds one snapshot, as its report would have put it there.</summary>
    async Task<ScriptedAgent> AgentWithSnapshotAsync(string hostname)
    {
        var agent = await fixture.OnlineAgentAsync(hostname);
        using var scope = fixture.Server.App.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<SnapshotsDbContext>();
        db.Snapshots.Add(new SnapshotRecord
        {
            HostId = agent.AgentId, Id = SnapshotId, ShortId = SnapshotId[..8], Time = DateTime.UtcNow, Hostname = hostname, PathsJson = "[\"/data\"]",
        });
        await db.SaveChangesAsync();
        return agent;
    }

    [Fact]
    public async Task A_tree_page_is_asked_of_the_agent_once_and_then_served_from_the_cache()
    {
        await using var agent = await AgentWithSnapshotAsync("api-tree-cache");
        var url = $"/api/hosts/{agent.AgentId}/snapshots/{SnapshotId[..8]}/tree?path=/data/&limit=2";
        var first = fixture.Server.Api.GetStringAsync(url);
        var query = await agent.NextAsync(MessageTypes.QueryTree);
        var asked = ScriptedAgent.Read<TreeQuery>(query);
        Assert.Equal((SnapshotId, "/data", 2), (asked.SnapshotId, asked.Path, asked.Limit));
        await agent.OkAsync(query, new TreePage("/data", [new TreeEntry("a", "/data/a", EntryType.Dir, null, null, "drwxr-xr-x"), new TreeEntry("b", "/data/b", EntryType.File, 3, null, "-rw-r--r--")], "2"));

        using var page = JsonDocument.Parse(await first);
        Assert.Equal("2", page.RootElement.GetProperty("nextCursor").GetString());
        Assert.Equal(["dir", "file"], page.RootElement.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("type").GetString()));

        // The agent stays silent now: a second ask could only be answered from the cache.
        using var again = JsonDocument.Parse(await fixture.Server.Api.GetStringAsync($"/api/hosts/{agent.AgentId}/snapshots/{SnapshotId}/tree?path=/data&limit=2"));
        Assert.Equal(page.RootElement.GetRawText(), again.RootElement.GetRawText());
        Assert.False(agent.TryPeekType(out var sent), $"the agent was asked again: {sent}");
    }

    [Fact]
    public async Task Browsing_and_downloading_are_each_audited_with_who_what_and_where()
    {
        await using var agent = await AgentWithSnapshotAsync("api-audit");
        await using var audit = await BusListener<OperatorActed>.ListenAsync(fixture.Server);
        var browsing = fixture.Server.Api.GetStringAsync($"/api/hosts/{agent.AgentId}/snapshots/{SnapshotId}/tree?path=/data");
        var listing = new TreePage("/data", [new TreeEntry("a.txt", "/data/a.txt", EntryType.File, 3, null, null)], null);
        await agent.OkAsync(await agent.NextAsync(MessageTypes.QueryTree), listing);
        await browsing;
        var downloading = fixture.Server.Api.GetByteArrayAsync($"/api/hosts/{agent.AgentId}/snapshots/{SnapshotId}/download?path=/data/a.txt");
        await agent.OkAsync(await agent.NextAsync(MessageTypes.QueryTree), listing); // the download's look-up of the node's type
        var dump = await agent.NextAsync(MessageTypes.QueryDump);
        await agent.ReplyAsync(dump, AgentQueries.Chunk, "abc"u8.ToArray(), 0);
        await agent.ReplyAsync(dump, AgentQueries.End, [], 1);
        Assert.Equal("abc"u8.ToArray(), await downloading);

        const string Browse = "GET /api/hosts/{hostId}/snapshots/{snapshotId}/tree";
        const string Download = "GET /api/hosts/{hostId}/snapshots/{snapshotId}/download";
        await audit.WaitForAsync(a => a.Action == Download, "the download is audited");
        var browsed = Assert.Single(audit.Messages, a => a.HostId == agent.AgentId && a.Action == Browse);
        var downloaded = Assert.Single(audit.Messages, a => a.HostId == agent.AgentId && a.Action == Download);
        Assert.Equal((SnapshotId, "/data", 200), (browsed.Targets["snapshotId"], browsed.Targets["path"], browsed.Result));
        Assert.Equal((SnapshotId, "/data/a.txt", 200), (downloaded.Targets["snapshotId"], downloaded.Targets["path"], downloaded.Result));
        Assert.Contains("as raw", downloaded.Detail);
        Assert.All(new[] { browsed, downloaded }, a => Assert.False(string.IsNullOrEmpty(a.ActorId)));
    }

    [Fact]
    public async Task A_folder_download_is_looked_up_then_streamed_as_a_tar_attachment_and_a_failure_midway_breaks_the_transfer()
    {
        await using var agent = await AgentWithSnapshotAsync("api-download");
        var downloading = fixture.Server.Api.GetAsync($"/api/hosts/{agent.AgentId}/snapshots/{SnapshotId}/download?path=/data/r%C3%A9sum%C3%A9s", HttpCompletionOption.ResponseHeadersRead);

        // The node's type decides the answer's name and format: its parent is listed first.
        var lookup = await agent.NextAsync(MessageTypes.QueryTree);
        Assert.Equal("/data", ScriptedAgent.Read<TreeQuery>(lookup).Path);
        await agent.OkAsync(lookup, new TreePage("/data", [new TreeEntry("résumés", "/data/résumés", EntryType.Dir, null, null, null)], null));
        var dump = await agent.NextAsync(MessageTypes.QueryDump);
        Assert.Equal((DumpFormat.Tar, "/data/résumés"), (ScriptedAgent.Read<DumpQuery>(dump).Format, ScriptedAgent.Read<DumpQuery>(dump).Path));
        await agent.ReplyAsync(dump, AgentQueries.Chunk, "abc"u8.ToArray(), 0);
        await agent.ReplyAsync(dump, AgentQueries.Chunk, "def"u8.ToArray(), 1);
        await agent.ReplyAsync(dump, AgentQueries.End, [], 2);

        using (var response = await downloading)
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("application/x-tar", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
            Assert.Equal("résumés.tar", response.Content.Headers.ContentDisposition?.FileNameStar);
            Assert.Equal("abcdef", await response.Content.ReadAsStringAsync());
        }

        // Second time round the lookup is cached; the agent fails after the first chunk.
        var failing = fixture.Server.Api.GetAsync($"/api/hosts/{agent.AgentId}/snapshots/{SnapshotId}/download?path=/data/r%C3%A9sum%C3%A9s&format=zip", HttpCompletionOption.ResponseHeadersRead);
        var second = await agent.NextAsync(MessageTypes.QueryDump);
        Assert.Equal(DumpFormat.Zip, ScriptedAgent.Read<DumpQuery>(second).Format);
        await agent.ReplyAsync(second, AgentQueries.Chunk, "PK"u8.ToArray(), 0);
        using var broken = await failing;
        Assert.Equal(HttpStatusCode.OK, broken.StatusCode);
        await agent.ErrorAsync(second, QueryErrorCode.Restic, "unexpected EOF");
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => broken.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task A_download_the_agent_refuses_before_its_first_byte_is_problem_json()
    {
        await using var agent = await AgentWithSnapshotAsync("api-download-refused");
        var downloading = fixture.Server.Api.GetAsync($"/api/hosts/{agent.AgentId}/snapshots/{SnapshotId}/download?path=/");
        var dump = await agent.NextAsync(MessageTypes.QueryDump);
        Assert.Equal((DumpFormat.Tar, "/"), (ScriptedAgent.Read<DumpQuery>(dump).Format, ScriptedAgent.Read<DumpQuery>(dump).Path));
        await agent.ErrorAsync(dump, QueryErrorCode.NoRepository, "this host has no repository configured");

        using var response = await downloading;
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}
