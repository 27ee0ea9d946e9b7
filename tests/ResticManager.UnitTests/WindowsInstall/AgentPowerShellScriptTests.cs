using System.Text.RegularExpressions;
using ResticManager.Agent.Installation;
using ResticManager.Agent.Storage.Protection;

namespace ResticManager.UnitTests.WindowsInstall;

/// <summary>
/// The Windows install script's template, read as text: PowerShell is not on the machines the tests run on,
/// so these hold it to what the server fills in, the order that keeps a bad download from changing anything,
/// the service and folder it must agree on with the agent, and Windows PowerShell 5.1's syntax.
/// </summary>
public sealed partial class AgentPowerShellScriptTests
{
    static readonly string Script = File.ReadAllText(Path.Combine(RepoPaths.Root,
        "services", "Inventory", "ResticManager.Inventory", "Install", "Scripts", "agent.ps1"));

    static readonly string Code = PowerShellSource.CodeOnly(Script);

    [Fact]
    public void It_carries_exactly_the_placeholders_the_server_fills()
    {
        var placeholders = Placeholder().Matches(Script).Select(m => m.Value).Distinct().Order();
        Assert.Equal(["{{AGENT_VERSION}}", "{{SERVER_URL}}", "{{WIN_X64_SHA256}}"], placeholders);
        Assert.Contains("$ExpectedSha256 = '{{WIN_X64_SHA256}}'", Script);
        Assert.Contains("[string]$Server = '{{SERVER_URL}}'", Script);
    }

    [Fact]
    public void It_takes_the_documented_parameters()
    {
        var parameters = Script[Script.IndexOf("param(", StringComparison.Ordinal)..Script.IndexOf("Set-StrictMode", StringComparison.Ordinal)];
        foreach (var declaration in (string[])["[string]$Token", "[string]$Server", "[string]$InstallDir", "[string]$ConfigDir", "[string]$Hostname", "[string]$ResticPath", "[switch]$NoStart", "[switch]$Insecure"])
        {
            Assert.Contains(declaration, parameters);
        }
    }

    [Fact]
    public void It_refuses_without_administrator_before_it_downloads()
    {
        var check = Code.IndexOf("[Security.Principal.WindowsBuiltInRole]::Administrator", StringComparison.Ordinal);
        Assert.True(check > 0);
        Assert.Matches(@"if \(-not \$principal\.IsInRole\(\[Security\.Principal\.WindowsBuiltInRole\]::Administrator\)\) \{\s*Fail ", Code[(check - 40)..]);
        Assert.True(check < Code.IndexOf("Invoke-WebRequest", StringComparison.Ordinal));
    }

    [Fact]
    public void A_download_whose_hash_differs_is_deleted_and_refused_before_anything_changes()
    {
        var hash = Code.IndexOf("Get-FileHash -LiteralPath $download -Algorithm SHA256", StringComparison.Ordinal);
        Assert.True(hash > Code.IndexOf("Invoke-WebRequest -Uri $url -OutFile $download", StringComparison.Ordinal));
        var mismatch = Code.IndexOf("if ($actual -ne $ExpectedSha256.ToLowerInvariant())", StringComparison.Ordinal);
        Assert.True(mismatch > hash);
        var refusal = Code[mismatch..Code.IndexOf('}', mismatch)];
        Assert.Contains("Remove-Item -LiteralPath $download -Force", refusal);
        Assert.Contains("Fail ", refusal);
        Assert.Contains("SHA-256 mismatch", Script);

        // Nothing on the machine changes before that check: no service stopped, no file or folder written, no enrollment.
        foreach (var change in (string[])["Stop-Service", "New-Item", "Copy-Item", "Move-Item", "Set-Acl", "New-Service", "Invoke-CimMethod", "sc.exe", "& $exe @enrollArgs", "Start-Service"])
        {
            var at = Code.IndexOf(change, StringComparison.Ordinal);
            Assert.True(at > mismatch, $"{change} comes before the hash check");
        }

        // And an error is thrown rather than exit: exit would close the operator's window in the one-line form.
        Assert.Matches(@"function Fail\(\[string\]\$Message\) \{\s*throw ", Code);
        Assert.DoesNotMatch(@"(?m)^\s*exit\b", Code);
    }

    [Fact]
    public void The_copy_installed_is_hashed_again_where_only_administrators_write()
    {
        var staged = Code.IndexOf("Get-FileHash -LiteralPath $staged -Algorithm SHA256", StringComparison.Ordinal);
        Assert.True(staged > Code.IndexOf("Copy-Item -LiteralPath $download -Destination $staged", StringComparison.Ordinal));
        Assert.True(staged < Code.IndexOf("Move-Item -LiteralPath $staged -Destination $exe", StringComparison.Ordinal));
    }

    [Fact]
    public void The_new_build_is_staged_hashed_and_run_before_the_service_stops_and_a_failure_after_restarts_it()
    {
        var stop = Code.IndexOf("Stop-Service", StringComparison.Ordinal);
        Assert.True(Code.IndexOf("Get-FileHash -LiteralPath $staged", StringComparison.Ordinal) is var hashed && hashed > 0 && hashed < stop);
        var runs = Code.IndexOf("& $staged version", StringComparison.Ordinal);
        Assert.True(runs > hashed && runs < stop);
        Assert.Matches(@"if \(-not \$runs\) \{\s*Fail """, Code[runs..]);
        Assert.Contains("Fail \"this build does not run here", Script);
        Assert.Matches(@"\$serviceWasRunning = \$true\s*Stop-Service", Code);
        Assert.Matches(@"catch \{\s*if \(\$serviceWasRunning\) \{\s*Start-Service -Name \$ServiceName[^}]*\}\s*throw\s*\}\s*finally \{", Code);
        // Everything from the stop to the start sits inside that try.
        Assert.True(Code.IndexOf("if ($serviceWasRunning)", StringComparison.Ordinal) > Code.IndexOf("Start-Service -Name $ServiceName", StringComparison.Ordinal));
    }

    [Fact]
    public void An_existing_config_folder_owned_or_controlled_by_anyone_but_system_and_administrators_is_refused_before_anything_changes()
    {
        var check = Code.IndexOf("if (Test-Path -LiteralPath $ConfigDir) {", StringComparison.Ordinal);
        Assert.True(check > 0);
        Assert.Contains("$trustedSids = @('S-1-5-18', 'S-1-5-32-544')", Script);
        var block = Code[check..Code.IndexOf("$enrolled = ", StringComparison.Ordinal)];
        Assert.Contains("Get-ChildItem -LiteralPath $ConfigDir -Recurse -Force", block);
        Assert.Contains("$entryAcl.GetOwner([Security.Principal.SecurityIdentifier])", block);
        // Explicit rules only: what a folder inherits comes from where it sits, which the owner check covers.
        Assert.Contains("$entryAcl.GetAccessRules($true, $false, [Security.Principal.SecurityIdentifier])", block);
        Assert.Matches(@"if \(\(\$trustedSids -notcontains \$owner\) -or \$foreign\.Count -gt 0\) \{\s*Fail ", block);
        Assert.Contains("inspect it, remove it, and run this again; nothing installed", Script);
        foreach (var change in (string[])["Invoke-WebRequest", "Stop-Service", "New-Item", "Set-Acl"])
        {
            Assert.True(Code.IndexOf(change, StringComparison.Ordinal) > check, $"{change} comes before the config folder check");
        }
    }

    [Fact]
    public void Plain_http_to_another_machine_is_refused_unless_insecure_and_the_token_is_not_on_the_command_line()
    {
        Assert.Matches(@"if \(\$serverUri\.Scheme -eq 'http' -and -not \$serverUri\.IsLoopback -and -not \$Insecure\) \{\s*Fail ", Script);
        Assert.True(Code.IndexOf("$serverUri.IsLoopback", StringComparison.Ordinal) < Code.IndexOf("Invoke-WebRequest", StringComparison.Ordinal));
        Assert.Matches(@"\$env:RM_ENROLL_TOKEN = \$Token\s*& \$exe @enrollArgs", Code);
        Assert.Contains("Remove-Item Env:RM_ENROLL_TOKEN", Code);
    }

    [Fact]
    public void It_enrolls_only_a_host_that_is_not_enrolled_and_asks_for_a_token_before_downloading()
    {
        Assert.Contains("$enrolled = Test-Path -LiteralPath (Join-Path $ConfigDir 'agent.json')", Script);
        Assert.Matches(@"if \(\$enrolled\) \{[^}]*keeping the enrollment", Script);
        var tokenCheck = Code.IndexOf("if (-not $enrolled -and [string]::IsNullOrEmpty($Token))", StringComparison.Ordinal);
        Assert.True(tokenCheck > 0 && tokenCheck < Code.IndexOf("Invoke-WebRequest", StringComparison.Ordinal));
        Assert.Contains("$enrollArgs = @('enroll', '--server', $Server, '--config', $ConfigDir)", Script);
        Assert.DoesNotContain("'--token'", Script);
        Assert.Matches(@"else \{\s*\$enrollArgs = ", Code);
    }

    [Fact]
    public void The_service_and_the_config_folder_are_the_ones_the_agent_expects()
    {
        Assert.Contains($"$ServiceName = '{InstalledLayout.AgentServiceName}'", Script);
        Assert.Contains($"Join-Path $env:ProgramData '{InstalledLayout.WindowsFolderName}'", Script);
        Assert.Contains($"$ConfigFolderSddl = '{ConfigFolderAcl.Sddl}'", Script);
        Assert.Contains("Set-Acl -LiteralPath $ConfigDir -AclObject $folderSecurity", Code);
        Assert.Contains("$binaryPath = \"`\"$exe`\" run --config `\"$ConfigDir`\"\"", Script);
        Assert.Contains("New-Service -Name $ServiceName -BinaryPathName $binaryPath", Code);
        Assert.Contains("-StartupType Automatic", Code);
        Assert.Contains("-Description $description", Code);
    }

    [Fact]
    public void The_service_restarts_on_failure()
    {
        Assert.Contains("& sc.exe failure $ServiceName reset= 86400 actions= restart/5000/restart/30000/restart/60000", Code);
        Assert.Contains("& sc.exe failureflag $ServiceName 1", Code);
        Assert.True(Code.IndexOf("sc.exe failure ", StringComparison.Ordinal) > Code.IndexOf("New-Service", StringComparison.Ordinal));
    }

    [Fact]
    public void It_starts_the_service_unless_told_not_to_and_prints_the_version()
    {
        Assert.Matches(@"if \(\$NoStart\) \{[^}]*\}\s*else \{\s*Start-Service -Name \$ServiceName", Code);
        Assert.EndsWith("& $exe version", Code.TrimEnd());
    }

    [Fact]
    public void It_parses_as_windows_powershell_5_1()
    {
        Assert.Null(PowerShellSource.UnbalancedAt(Code));
        // PowerShell 7 only: null-coalescing, pipeline chains, the ternary operator.
        Assert.DoesNotContain("??", Code);
        Assert.DoesNotMatch(@"&&|\|\|", Code);
        Assert.DoesNotMatch(@"\s\?\s[^:]+\s:\s", Code);
        // #Requires is not allowed in the script block the one-line form runs it as.
        Assert.DoesNotContain("#Requires", Script, StringComparison.OrdinalIgnoreCase);
        Assert.StartsWith("<#", Script);
        Assert.Matches(@"#>\s*\[CmdletBinding\(\)\]\s*param\(", Script);
        // A BOM would land inside the script block after irm.
        Assert.NotEqual(0xEF, File.ReadAllBytes(Path.Combine(RepoPaths.Root, "services", "Inventory", "ResticManager.Inventory", "Install", "Scripts", "agent.ps1"))[0]);
    }

    [Fact]
    public void The_lexer_used_here_catches_an_unbalanced_script()
    {
        Assert.Null(PowerShellSource.UnbalancedAt(PowerShellSource.CodeOnly("if ($a) { Write-Host 'a } (' } # }\n")));
        Assert.NotNull(PowerShellSource.UnbalancedAt(PowerShellSource.CodeOnly("if ($a) { Write-Host \"`\"}\" \n")));
        Assert.NotNull(PowerShellSource.UnbalancedAt(PowerShellSource.CodeOnly("foreach ($x in @(1, 2) {\n}")));
    }

    [GeneratedRegex(@"\{\{[A-Z0-9_]+\}\}")]
    private static partial Regex Placeholder();
}
