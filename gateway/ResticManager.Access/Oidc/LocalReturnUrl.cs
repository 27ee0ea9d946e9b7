namespace ResticManager.Access;

/// <summary>Where a login may send the browser back to: a path on this server only, never another site.</summary>
static class LocalReturnUrl
{
    const int MaxLength = 2048;

    /// <summary>
    /// <paramref name="url"/> when it is a local path (one leading '/', not '//' or '/\', which browsers
    /// read as another host) of printable ASCII (what a Location header can carry as is), otherwise '/'.
    /// </summary>
    public static string Sanitize(string? url) =>
        url is { Length: > 0 and <= MaxLength }
        && url[0] == '/'
        && (url.Length == 1 || (url[1] != '/' && url[1] != '\\'))
        && url.All(c => c is > ' ' and < '\u007f')
            ? url
            : "/";
}
