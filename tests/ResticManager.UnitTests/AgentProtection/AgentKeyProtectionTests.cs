using System.Runtime.Versioning;
using ResticManager.Agent.Storage;
using ResticManager.Agent.Storage.Protection;
using ResticManager.Protocol;

namespace ResticManager.UnitTests.AgentProtection;

// The folder half is the Unix one: these run where the test suite runs; Windows is covered through its pure parts.
[UnsupportedOSPlatform("windows")]
public sealed class AgentKeyProtectionTests
{
    static readonly ReversibleTestProtection Protection = new();

    static AgentFiles Protected(string dir) => new(dir, new AgentFileProtection(Protection, new UnixConfigFolderSecurity()));

    static AgentFiles Bare(string dir) => new(dir, new AgentFileProtection(new FileModeKeyProtection(), new UnixConfigFolderSecurity()));

    [Fact]
    public void A_new_key_is_stored_in_its_protected_form_and_read_back_through_it()
    {
        using var dir = new TempDirectory("rm-keyprotection");
        var files = Protected(dir.Path);
        files.SaveSecret("rma_secret");

        var stored = File.ReadAllBytes(dir.Combine("agent.key"));
        Assert.True(stored.AsSpan().StartsWith(ReversibleTestProtection.Marker));
        Assert.Equal(SecretBox.KeySize + ReversibleTestProtection.Marker.Length, stored.Length);
        // The secret is sealed under the unprotected key, not under the bytes on disk.
        var key = Protection.Unprotect(stored);
        Assert.Equal("rma_secret", System.Text.Encoding.UTF8.GetString(SecretBox.Open(key, File.ReadAllBytes(dir.Combine("mqtt-secret.enc")))!));
        Assert.Equal("rma_secret", Protected(dir.Path).LoadSecret());
        // Without the protection (a copy taken to another machine), the stored bytes are not the key.
        Assert.Throws<AgentSetupException>(Bare(dir.Path).LoadSecret);
    }

    [Fact]
    public void A_bare_key_from_before_the_protection_is_protected_on_first_read_and_keeps_working()
    {
        using var dir = new TempDirectory("rm-keyprotection");
        Bare(dir.Path).SaveSecret("rma_enrolled_earlier");
        Bare(dir.Path).SaveSealed("repositories.enc", "settings"u8.ToArray());
        var bareKey = File.ReadAllBytes(dir.Combine("agent.key"));
        Assert.Equal(SecretBox.KeySize, bareKey.Length);

        Assert.Equal("rma_enrolled_earlier", Protected(dir.Path).LoadSecret());

        var stored = File.ReadAllBytes(dir.Combine("agent.key"));
        Assert.NotEqual(bareKey, stored);
        Assert.Equal(bareKey, Protection.Unprotect(stored));
        Assert.Equal("settings"u8.ToArray(), Protected(dir.Path).LoadSealed("repositories.enc"));
        Assert.Equal("rma_enrolled_earlier", Protected(dir.Path).LoadSecret());
        Assert.Empty(Directory.GetFiles(dir.Path, "*.tmp"));
    }

    [Fact]
    public void A_key_this_machine_cannot_unprotect_is_a_setup_error()
    {
        using var dir = new TempDirectory("rm-keyprotection");
        Protected(dir.Path).SaveSecret("one");
        File.WriteAllBytes(dir.Combine("agent.key"), new byte[SecretBox.KeySize + 40]);

        var error = Assert.Throws<AgentSetupException>(Protected(dir.Path).LoadSecret);
        Assert.Contains("enroll again", error.Message);
    }

    [Fact]
    public void A_missing_key_is_a_setup_error_and_no_new_key_is_made_up()
    {
        using var dir = new TempDirectory("rm-keyprotection");
        Protected(dir.Path).SaveSecret("one");
        File.Delete(dir.Combine("agent.key"));

        var error = Assert.Throws<AgentSetupException>(Protected(dir.Path).LoadSecret);
        Assert.Contains("agent.key is missing", error.Message);
        Assert.False(File.Exists(dir.Combine("agent.key")));
    }

    [Fact]
    public void This_machine_gets_dpapi_on_windows_and_the_file_mode_elsewhere()
    {
        var protection = AgentFileProtection.ForThisMachine();
        if (OperatingSystem.IsWindows())
        {
            Assert.IsType<DpapiKeyProtection>(protection.Key);
            Assert.IsType<WindowsConfigFolderSecurity>(protection.Folder);
        }
        else
        {
            Assert.IsType<FileModeKeyProtection>(protection.Key);
            Assert.False(protection.Key.TransformsKey);
            Assert.IsType<UnixConfigFolderSecurity>(protection.Folder);
        }
    }
}
