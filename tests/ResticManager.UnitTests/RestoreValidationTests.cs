using ResticManager.Protocol;
using ResticManager.Snapshots;

namespace ResticManager.UnitTests;

public sealed class RestoreValidationTests
{
    static RestoreRequest Valid(IReadOnlyList<string>? paths = null, RestoreTargetRequest? target = null, RestoreOverwrite? overwrite = RestoreOverwrite.Never) =>
        new("0123abcd", paths ?? ["/srv/data/a.txt"], target ?? new RestoreTargetRequest(RestoreTargetKind.Folder, "/restore", null), overwrite, null, null);

    static IReadOnlyList<string> Fields(RestoreRequest? request)
    {
        var problem = RestoreValidation.Validate(request);
        return problem.Any ? [.. problem.ToProblem().ProblemDetails.Errors.Keys] : [];
    }

    [Fact]
    public void A_folder_restore_with_absolute_paths_is_valid() => Assert.Empty(Fields(Valid()));

    [Fact]
    public void A_missing_body_is_refused_as_body() => Assert.Equal(["body"], Fields(null));

    [Theory]
    [InlineData("relative/a.txt")]
    [InlineData("/srv/../etc/passwd")]
    [InlineData("/srv/./a")]
    [InlineData("")]
    public void Relative_dotted_or_empty_paths_are_refused(string path) => Assert.Equal(["paths"], Fields(Valid(paths: [path])));

    [Fact]
    public void No_paths_at_all_are_refused() => Assert.Equal(["paths"], Fields(Valid(paths: [])));

    [Fact]
    public void Paths_of_more_than_64_KiB_in_all_are_refused_though_fewer_than_a_thousand()
    {
        var longPath = "/srv/" + new string('p', 995);
        Assert.Empty(Fields(Valid(paths: [.. Enumerable.Range(0, 65).Select(i => $"{longPath}{i:D3}")])));
        Assert.Equal(["paths"], Fields(Valid(paths: [.. Enumerable.Range(0, 66).Select(i => $"{longPath}{i:D3}")])));
    }

    [Theory]
    [InlineData("restore")]
    [InlineData("/tmp/../etc")]
    [InlineData("..")]
    public void A_relative_or_dotted_target_is_refused(string target) =>
        Assert.Equal(["target.path"], Fields(Valid(target: new RestoreTargetRequest(RestoreTargetKind.Folder, target, null))));

    [Fact]
    public void A_folder_restore_needs_a_path_and_an_original_one_takes_none()
    {
        Assert.Equal(["target.path"], Fields(Valid(target: new RestoreTargetRequest(RestoreTargetKind.Folder, null, null))));
        Assert.Equal(["target.path"], Fields(Valid(target: new RestoreTargetRequest(RestoreTargetKind.Original, "/x", null))));
        Assert.Empty(Fields(Valid(target: new RestoreTargetRequest(RestoreTargetKind.Original, null, null))));
    }

    [Fact]
    public void A_host_restore_needs_the_host_and_may_keep_the_original_paths_there()
    {
        Assert.Equal(["target.hostId"], Fields(Valid(target: new RestoreTargetRequest(RestoreTargetKind.Host, "/x", null))));
        Assert.Empty(Fields(Valid(target: new RestoreTargetRequest(RestoreTargetKind.Host, null, "host-b"))));
    }

    [Fact]
    public void Target_kind_and_overwrite_are_required() =>
        Assert.Equal(["overwrite", "target.kind"], Fields(Valid(target: new RestoreTargetRequest(null, null, null), overwrite: null)).Order());

    [Theory]
    [InlineData("/srv/data", "/srv/data", true)]
    [InlineData("/srv/data/a.txt", "/srv/data", true)]
    [InlineData("/srv/data/", "/srv/data", true)]
    [InlineData("/srv/database", "/srv/data", false)]
    [InlineData("/srv", "/srv/data", false)]
    [InlineData("/anything", "/", true)]
    public void A_path_is_within_a_snapshot_path_segment_by_segment(string path, string root, bool within) =>
        Assert.Equal(within, RestorePaths.IsWithin(path, root));

    [Fact]
    public void Paths_outside_the_snapshot_are_named() =>
        Assert.Equal(["/etc/passwd"], RestoreValidation.OutsideSnapshot(["/srv/data/a", "/etc/passwd"], ["/srv/data", "/home"]));
}
