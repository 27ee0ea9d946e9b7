using System.Formats.Tar;
using System.Net;
using System.Security.Cryptography;
using System.Text.Json;

namespace ResticManager.IntegrationTests;

/// <summary>
/// Browse, versions, diff and download through the REST API, answered by the real agent running real
/// restic over MQTT request/response, plus every way a query can fail without hanging.
/// </summary>
public sealed class SnapshotBrowseTests(SnapshotBrowseFixture fixture, ITestOutputHelper output) : IClassFixture<SnapshotBrowseFixture>
{
    ServerProcess Server => fixture.Server;

    string HostId => fixture.Host.Id;

    string Snapshots => $"/api/hosts/{HostId}/snapshots";

    Task Dumped(Func<Task> test) => output.DumpOnFailureAsync(test, () => Server.Process, () => fixture.Host.Agent.Process);

    static IEnumerable<string> Names(JsonElement page) => page.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("name").GetString()!);

    [Fact]
    public Task The_root_and_a_subfolder_list_their_direct_children_folders_first() => Dumped(async () =>
    {
        var (status, root, _) = await fixture.GetAsync($"{Snapshots}/{fixture.Second}/tree");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("/", root.GetProperty("path").GetString());
        var top = fixture.Source.Split('/', StringSplitOptions.RemoveEmptyEntries)[0];
        Assert.Equal([top], Names(root));
        Assert.Equal("dir", root.GetProperty("items")[0].GetProperty("type").GetString());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("nextCursor").ValueKind);

        // The short id works as well as the full one.
        var shortId = fixture.Second[..8];
        var (subStatus, src, _) = await fixture.GetAsync($"{Snapshots}/{shortId}/tree?path={Uri.EscapeDataString(fixture.Source)}");
        Assert.Equal(HttpStatusCode.OK, subStatus);
        Assert.Equal(["big", "docs", "many", "a.txt", "new.txt"], Names(src));
        var a = src.GetProperty("items").EnumerateArray().Single(e => e.GetProperty("name").GetString() == "a.txt");
        Assert.Equal(fixture.Source + "/a.txt", a.GetProperty("path").GetString());
        Assert.Equal("file", a.GetProperty("type").GetString());
        Assert.Equal(new FileInfo(Path.Combine(fixture.Source, "a.txt")).Length, a.GetProperty("size").GetInt64());
        Assert.StartsWith("-rw", a.GetProperty("mode").GetString(), StringComparison.Ordinal);
        Assert.True(a.TryGetProperty("mtime", out _));

        // The first snapshot has no new.txt.
        var (_, before, _) = await fixture.GetAsync($"{Snapshots}/{fixture.First}/tree?path={Uri.EscapeDataString(fixture.Source + "/")}");
        Assert.Equal(["big", "docs", "many", "a.txt"], Names(before));
    });

    [Fact]
    public Task A_folder_of_more_entries_than_a_page_is_paged_through_with_the_cursor() => Dumped(async () =>
    {
        var folder = Uri.EscapeDataString(fixture.Source + "/many");
        var names = new List<string>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var (status, page, _) = await fixture.GetAsync($"{Snapshots}/{fixture.Second}/tree?path={folder}&limit=50" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor)));
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.InRange(page.GetProperty("items").GetArrayLength(), 1, 50);
            names.AddRange(Names(page));
            cursor = page.GetProperty("nextCursor").GetString();
            pages++;
        }
        while (cursor is not null && pages < 10);

        Assert.Equal(3, pages);
        Assert.Equal(Enumerable.Range(0, SnapshotBrowseFixture.ManyFiles).Select(i => $"file-{i:D5}.bin"), names);
    });

    [Fact]
    public Task The_diff_lists_exactly_the_changed_and_the_added_file_and_the_versions_of_the_changed_file_list_both_snapshots() => Dumped(async () =>
    {
        var (status, diff, _) = await fixture.GetAsync($"{Snapshots}/{fixture.First}/diff/{fixture.Second}");
        Assert.Equal(HttpStatusCode.OK, status);
        var changes = diff.GetProperty("items").EnumerateArray().Select(e => (e.GetProperty("path").GetString(), e.GetProperty("change").GetString())).OrderBy(c => c.Item1).ToList();
        Assert.Equal([(fixture.Source + "/a.txt", "modified"), (fixture.Source + "/new.txt", "added")], changes);
        Assert.Equal(1, diff.GetProperty("added").GetProperty("files").GetInt64());
        Assert.Equal(0, diff.GetProperty("removed").GetProperty("files").GetInt64());
        Assert.Equal(JsonValueKind.Null, diff.GetProperty("nextCursor").ValueKind);

        var (findStatus, versions, _) = await fixture.GetAsync($"/api/hosts/{HostId}/files?path={Uri.EscapeDataString(fixture.Source + "/a.txt")}");
        Assert.Equal(HttpStatusCode.OK, findStatus);
        var items = versions.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal([fixture.Second, fixture.First], items.Select(v => v.GetProperty("snapshotId").GetString()));
        Assert.Equal(["second version, longer\n".Length, "first version\n".Length], items.Select(v => v.GetProperty("size").GetInt64()));
        Assert.All(items, v => Assert.Equal(fixture.Source + "/a.txt", v.GetProperty("path").GetString()));
        Assert.True(items[0].GetProperty("snapshotTime").GetDateTimeOffset() > items[1].GetProperty("snapshotTime").GetDateTimeOffset());

        var (patternStatus, matches, _) = await fixture.GetAsync($"/api/hosts/{HostId}/files?pattern=new.txt");
        Assert.Equal(HttpStatusCode.OK, patternStatus);
        Assert.Equal([fixture.Second], matches.GetProperty("items").EnumerateArray().Select(v => v.GetProperty("snapshotId").GetString()));
    });

    [Fact]
    public Task A_file_downloads_as_is_and_a_folder_as_tar_with_the_sources_bytes() => Dumped(async () =>
    {
        var big = Directory.GetFiles(Path.Combine(fixture.Source, "big")).Single();
        using (var response = await Server.Api.GetAsync($"{Snapshots}/{fixture.Second}/download?path={Uri.EscapeDataString(big)}", HttpCompletionOption.ResponseHeadersRead))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("application/octet-stream", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
            Assert.Equal(Path.GetFileName(big), response.Content.Headers.ContentDisposition?.FileNameStar);
            await using var body = await response.Content.ReadAsStreamAsync();
            var watch = System.Diagnostics.Stopwatch.StartNew();
            Assert.Equal(Sha256(await File.ReadAllBytesAsync(big)), Convert.ToHexString(await SHA256.HashDataAsync(body)));
            output.WriteLine($"{new FileInfo(big).Length / 1048576.0:F1} MiB in {watch.Elapsed.TotalSeconds:F2} s");
        }

        var docs = Path.Combine(fixture.Source, "docs");
        using (var response = await Server.Api.GetAsync($"{Snapshots}/{fixture.Second}/download?path={Uri.EscapeDataString(docs)}", HttpCompletionOption.ResponseHeadersRead))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("application/x-tar", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal("docs.tar", response.Content.Headers.ContentDisposition?.FileNameStar);
            var members = new Dictionary<string, string>(StringComparer.Ordinal);
            await using var body = await response.Content.ReadAsStreamAsync();
            await using var tar = new TarReader(body);
            while (await tar.GetNextEntryAsync() is { } entry)
            {
                if (entry.EntryType is TarEntryType.RegularFile or TarEntryType.V7RegularFile)
                {
                    using var content = new MemoryStream();
                    await entry.DataStream!.CopyToAsync(content);
                    members[entry.Name.TrimStart('/')] = Sha256(content.ToArray());
                }
            }

            var sources = Directory.GetFiles(docs, "*", SearchOption.AllDirectories);
            Assert.Equal(sources.Length, members.Count);
            foreach (var source in sources)
            {
                var relative = Path.GetRelativePath(docs, source);
                var member = members.Keys.SingleOrDefault(name => name == relative || name.EndsWith("/" + relative, StringComparison.Ordinal));
                Assert.True(member is not null, $"{relative} is in the tar ({string.Join(", ", members.Keys)})");
                Assert.Equal(Sha256(await File.ReadAllBytesAsync(source)), members[member]);
            }
        }
    });

    [Fact]
    public Task A_download_the_client_abandons_leaves_no_restic_running_on_the_host() => Dumped(async () =>
    {
        var big = Directory.GetFiles(Path.Combine(fixture.Source, "big")).Single();
        var agentRestic = () => Restic.ProcessesMentioning(fixture.Host.Agent.ConfigPath);
        await Eventually.HoldsAsync(() => agentRestic().Count == 0, TimeSpan.FromSeconds(30), "no restic runs before the download");
        using (var response = await Server.Api.GetAsync($"{Snapshots}/{fixture.First}/download?path={Uri.EscapeDataString(big)}", HttpCompletionOption.ResponseHeadersRead))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            await using var body = await response.Content.ReadAsStreamAsync();
            var buffer = new byte[64 * 1024];
            Assert.True(await body.ReadAsync(buffer) > 0);
            // The client stops reading: the agent may send only its window, so restic waits on its output, still running.
            await Eventually.HoldsAsync(() => agentRestic().Count > 0, TimeSpan.FromSeconds(10), "restic dump runs while the client holds the download");
        }

        await Eventually.HoldsAsync(() => agentRestic().Count == 0, TimeSpan.FromSeconds(30), "the agent's restic ends once the client went away");
    });

    [Fact]
    public Task Unknown_and_foreign_snapshots_and_bad_input_are_refused_naming_the_field() => Dumped(async () =>
    {
        var other = await AgentCredentials.EnrollAsync(Server, "browse-other-host");
        await Eventually.HoldsAsync(async () => (await fixture.GetAsync($"/api/hosts/{other.AgentId}/snapshots")).Status == HttpStatusCode.OK,
            TimeSpan.FromSeconds(10), "the snapshots service knows the other host");
        var cases = new (string Path, HttpStatusCode Status, string? Field)[]
        {
            ($"{Snapshots}/{new string('f', 64)}/tree", HttpStatusCode.NotFound, null),
            ($"/api/hosts/{other.AgentId}/snapshots/{fixture.Second}/tree", HttpStatusCode.NotFound, null),
            ($"/api/hosts/{other.AgentId}/snapshots/{fixture.First}/diff/{fixture.Second}", HttpStatusCode.NotFound, null),
            ($"{Snapshots}/{fixture.First}/diff/{new string('0', 8)}", HttpStatusCode.NotFound, null),
            ("/api/hosts/no-such-host/snapshots/x/tree", HttpStatusCode.NotFound, null),
            ("/api/hosts/no-such-host/files?path=/x", HttpStatusCode.NotFound, null),
            ($"{Snapshots}/{fixture.Second}/tree?path=relative/x", HttpStatusCode.BadRequest, "path"),
            ($"{Snapshots}/{fixture.Second}/tree?path=/a/../etc", HttpStatusCode.BadRequest, "path"),
            ($"{Snapshots}/{fixture.Second}/tree?limit=0", HttpStatusCode.BadRequest, "limit"),
            ($"{Snapshots}/{fixture.Second}/tree?limit=501", HttpStatusCode.BadRequest, "limit"),
            ($"{Snapshots}/{fixture.Second}/tree?limit=ten", HttpStatusCode.BadRequest, "limit"),
            ($"{Snapshots}/{fixture.Second}/tree?cursor=%01", HttpStatusCode.BadRequest, "cursor"),
            ($"{Snapshots}/{fixture.Second}/download", HttpStatusCode.BadRequest, "path"),
            ($"{Snapshots}/{fixture.Second}/download?path=/x&format=rar", HttpStatusCode.BadRequest, "format"),
            ($"{Snapshots}/{fixture.Second}/download?path={Uri.EscapeDataString(fixture.Source + "/nope.txt")}", HttpStatusCode.NotFound, null),
            ($"/api/hosts/{HostId}/files", HttpStatusCode.BadRequest, "path"),
            ($"/api/hosts/{HostId}/files?path=/a&pattern=b", HttpStatusCode.BadRequest, "pattern"),
            ($"/api/hosts/{HostId}/files?path=..", HttpStatusCode.BadRequest, "path"),
        };
        foreach (var (path, expected, field) in cases)
        {
            var (status, body, response) = await fixture.GetAsync(path);
            using var answered = response;
            Assert.True(expected == status, $"{path}: expected {(int)expected}, got {(int)status} {body}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            if (field is not null)
            {
                // Field errors name it as a key; a value the binder cannot read (limit=ten) is named in the detail.
                var named = body.TryGetProperty("errors", out var errors)
                    ? errors.TryGetProperty(field, out _)
                    : body.GetProperty("detail").GetString()!.Contains(field, StringComparison.Ordinal);
                Assert.True(named, $"{path}: the problem names {field}: {body}");
            }
        }

        // Known, but its agent is not connected: 503 at once, with when to retry.
        var (offline, problem, offlineResponse) = await fixture.GetAsync($"/api/hosts/{other.AgentId}/files?path=/x");
        using var offlineAnswer = offlineResponse;
        Assert.Equal(HttpStatusCode.ServiceUnavailable, offline);
        Assert.NotNull(offlineResponse.Headers.RetryAfter?.Delta);
        Assert.Contains("not online", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    });

    [Fact]
    public Task A_wrong_repository_password_comes_back_as_restics_error_without_a_hang() => Dumped(async () =>
    {
        // A second host on the same repository with a wrong password: its init fails, and so does every query.
        await using var wrong = await JobTestHost.StartAsync(Server, "browse-wrong-password", repository: fixture.Host.Repository, password: "not-the-password", waitForInit: false);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var (status, problem, response) = await fixture.GetAsync($"/api/hosts/{wrong.Id}/files?pattern=a.txt");
        using var _ = response;
        Assert.Equal(HttpStatusCode.BadGateway, status);
        Assert.Contains("wrong password", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(25), $"took {watch.Elapsed}");
    });

    static string Sha256(byte[] bytes) => Convert.ToHexString(SHA256.HashData(bytes));
}
