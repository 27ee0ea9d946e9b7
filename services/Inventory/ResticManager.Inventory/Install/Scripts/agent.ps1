<#
.SYNOPSIS
Installs (or upgrades in place) the ResticManager agent {{AGENT_VERSION}} on this Windows host as the service
resticmanager-agent, from the server that served this script.

.DESCRIPTION
Downloads the win-x64 build, checks its SHA-256 against the hash the server baked in below (a mismatch is
refused before anything on this machine changes), stops the service if it runs, installs the executable,
creates the config folder readable by SYSTEM and Administrators only, enrolls once (a host that is already
enrolled keeps its enrollment, so running this again upgrades in place), registers the service with restart
on failure and starts it. From PowerShell (5.1 or later) run as Administrator:

    iex "& { $(irm {{SERVER_URL}}/install/agent.ps1) } -Token <token>"

The script block form is what lets parameters reach a script fetched with irm. Errors are thrown rather than
ending with exit, which would close the operator's own window in that form; run as a file
(powershell -File agent.ps1 -Token <token>) an error ends it with exit code 1.
#>
[CmdletBinding()]
param(
    # One-time enrollment token from the web UI (Hosts, Enroll); needed for the first install only.
    [string]$Token = '',
    # The server to download from and enroll with.
    [string]$Server = '{{SERVER_URL}}',
    [string]$InstallDir = '',
    [string]$ConfigDir = '',
    # The name to enroll this host under (default: the machine name, lower case).
    [string]$Hostname = '',
    # restic.exe for the service, when it is not on the machine PATH (the service runs as LocalSystem).
    [string]$ResticPath = '',
    # Install and enroll, but do not start the service.
    [switch]$NoStart,
    # Allow an http:// server that is not this machine (the token and the agent's secret cross the network in clear).
    [switch]$Insecure
)

Set-StrictMode -Version 2.0
$ErrorActionPreference = 'Stop'
# Windows PowerShell 5.1 redraws its progress bar per chunk, which makes a download many times slower.
$ProgressPreference = 'SilentlyContinue'

$AgentVersion = '{{AGENT_VERSION}}'
$ExpectedSha256 = '{{WIN_X64_SHA256}}'
$ServiceName = 'resticmanager-agent'
$ServiceDisplayName = 'ResticManager Agent'
# Owner Administrators; full control for SYSTEM (the service) and Administrators; nothing inherited from
# ProgramData (which lets Users read). The agent itself keeps its folder so (ConfigFolderAcl.Sddl).
$ConfigFolderSddl = 'O:BAG:SYD:PAI(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)'

function Fail([string]$Message) {
    throw "resticmanager-agent install: $Message"
}

$principal = New-Object Security.Principal.WindowsPrincipal([Security.Principal.WindowsIdentity]::GetCurrent())
if (-not $principal.IsInRole([Security.Principal.WindowsBuiltInRole]::Administrator)) {
    Fail 'run this from PowerShell started as Administrator (it installs a service and writes under Program Files)'
}

if (-not [Environment]::Is64BitOperatingSystem) {
    Fail 'the agent is built for 64-bit Windows (win-x64) only'
}

if ([string]::IsNullOrEmpty($ExpectedSha256)) {
    Fail "the server has no agent build for win-x64 (build it with packaging/build.sh); nothing installed"
}

# Program Files as a 64-bit process sees it, also from a 32-bit PowerShell.
$programFiles = $env:ProgramW6432
if ([string]::IsNullOrEmpty($programFiles)) {
    $programFiles = $env:ProgramFiles
}
if ([string]::IsNullOrEmpty($InstallDir)) {
    $InstallDir = Join-Path $programFiles 'ResticManager Agent'
}
if ([string]::IsNullOrEmpty($ConfigDir)) {
    $ConfigDir = Join-Path $env:ProgramData 'ResticManager Agent'
}
# Full paths without a trailing backslash: one before a closing quote would escape it on a command line.
$InstallDir = [IO.Path]::GetFullPath($InstallDir).TrimEnd('\')
$ConfigDir = [IO.Path]::GetFullPath($ConfigDir).TrimEnd('\')
$Server = $Server.TrimEnd('/')
$serverUri = $null
if (-not [Uri]::TryCreate($Server, [UriKind]::Absolute, [ref]$serverUri) -or ($serverUri.Scheme -ne 'https' -and $serverUri.Scheme -ne 'http')) {
    Fail "-Server must be an http(s) URL: $Server"
}
# The enrollment token and the agent's MQTT secret would cross the network in clear over plain http.
if ($serverUri.Scheme -eq 'http' -and -not $serverUri.IsLoopback -and -not $Insecure) {
    Fail "$Server is plain http to another machine: the token and the agent's secret would cross the network in clear; use https (set Notifications:PublicUrl on the server) or pass -Insecure; nothing installed"
}

# Any local user may create folders under ProgramData: one created before the first install could hold a
# planted agent.json the service (LocalSystem) would trust. Only SYSTEM and Administrators may own it or be
# granted anything on it, on every entry below it too.
$trustedSids = @('S-1-5-18', 'S-1-5-32-544')
if (Test-Path -LiteralPath $ConfigDir) {
    $untrusted = "$ConfigDir exists but is not owned and controlled by SYSTEM and Administrators only, so it may hold files another user planted: inspect it, remove it, and run this again; nothing installed"
    try {
        $entries = @(Get-Item -LiteralPath $ConfigDir -Force) + @(Get-ChildItem -LiteralPath $ConfigDir -Recurse -Force)
    }
    catch {
        Fail "$untrusted ($($_.Exception.Message))"
    }
    foreach ($entry in $entries) {
        try {
            $entryAcl = Get-Acl -LiteralPath $entry.FullName
        }
        catch {
            Fail "$untrusted ($($entry.FullName): $($_.Exception.Message))"
        }
        $owner = $entryAcl.GetOwner([Security.Principal.SecurityIdentifier]).Value
        $foreign = @($entryAcl.GetAccessRules($true, $false, [Security.Principal.SecurityIdentifier]) |
            Where-Object { $trustedSids -notcontains $_.IdentityReference.Value })
        if (($trustedSids -notcontains $owner) -or $foreign.Count -gt 0) {
            Fail "$untrusted ($($entry.FullName) is owned by $owner)"
        }
    }
}

$exe = Join-Path $InstallDir 'resticmanager-agent.exe'
$enrolled = Test-Path -LiteralPath (Join-Path $ConfigDir 'agent.json')
if (-not $enrolled -and [string]::IsNullOrEmpty($Token)) {
    Fail "this host is not enrolled yet: pass -Token with an enrollment token from the web UI (Hosts, Enroll); nothing installed"
}

# Windows PowerShell 5.1 may still default to TLS 1.0 for https.
[Net.ServicePointManager]::SecurityProtocol = [Net.ServicePointManager]::SecurityProtocol -bor [Net.SecurityProtocolType]::Tls12

$url = "$Server/install/agent/win-x64"
$download = Join-Path ([IO.Path]::GetTempPath()) ('resticmanager-agent-' + [Guid]::NewGuid().ToString('N') + '.exe')
$staged = "$exe.new"
$serviceWasRunning = $false
try {
    Write-Host "downloading $url"
    try {
        Invoke-WebRequest -Uri $url -OutFile $download -UseBasicParsing
    }
    catch {
        Fail "download of $url failed ($($_.Exception.Message)); nothing installed"
    }

    $actual = (Get-FileHash -LiteralPath $download -Algorithm SHA256).Hash.ToLowerInvariant()
    if ($actual -ne $ExpectedSha256.ToLowerInvariant()) {
        Remove-Item -LiteralPath $download -Force
        Fail "SHA-256 mismatch: expected $ExpectedSha256, got $actual; refused, nothing installed"
    }
    Write-Host "SHA-256 verified: $actual"

    New-Item -ItemType Directory -Path $InstallDir -Force | Out-Null
    # Staged under Program Files (writable by Administrators only) and hashed again there, so what is
    # installed is what was verified even if the temporary file changed in between; all before the service stops.
    Copy-Item -LiteralPath $download -Destination $staged -Force
    $stagedHash = (Get-FileHash -LiteralPath $staged -Algorithm SHA256).Hash.ToLowerInvariant()
    if ($stagedHash -ne $ExpectedSha256.ToLowerInvariant()) {
        Remove-Item -LiteralPath $staged -Force
        Fail "SHA-256 mismatch after copying into $InstallDir; refused"
    }
    # A build that cannot start here must not replace one that can.
    $runs = $false
    try {
        & $staged version | Out-Null
        $runs = ($LASTEXITCODE -eq 0)
    }
    catch {
        $runs = $false
    }
    if (-not $runs) {
        Fail "this build does not run here (needs 64-bit Windows); nothing installed"
    }

    if (Test-Path -LiteralPath $exe) {
        $old = 'an unknown version'
        try {
            $old = (& $exe version | Select-Object -First 1)
        }
        catch {
            # An old build that cannot say its version is still upgraded.
        }
        Write-Host "upgrading $old -> $AgentVersion"
    }
    else {
        Write-Host "installing $AgentVersion"
    }

    $service = Get-Service -Name $ServiceName -ErrorAction SilentlyContinue
    if ($null -ne $service -and $service.Status -ne 'Stopped') {
        Write-Host "stopping $ServiceName"
        $serviceWasRunning = $true
        Stop-Service -Name $ServiceName -Force
        $service.WaitForStatus('Stopped', (New-TimeSpan -Seconds 90))
    }

    # The old process may hold its executable for a moment after the service reports Stopped.
    $deadline = (Get-Date).AddSeconds(30)
    while ($true) {
        try {
            Move-Item -LiteralPath $staged -Destination $exe -Force
            break
        }
        catch {
            if ((Get-Date) -gt $deadline) {
                Fail "cannot replace $exe ($($_.Exception.Message))"
            }
            Start-Sleep -Milliseconds 500
        }
    }

    New-Item -ItemType Directory -Path $ConfigDir -Force | Out-Null
    $folderSecurity = New-Object System.Security.AccessControl.DirectorySecurity
    # Owner, group and DACL only: the SACL would need SeSecurityPrivilege.
    $folderSecurity.SetSecurityDescriptorSddlForm($ConfigFolderSddl, [System.Security.AccessControl.AccessControlSections]'Owner, Group, Access')
    Set-Acl -LiteralPath $ConfigDir -AclObject $folderSecurity
    Write-Host "config folder $ConfigDir (SYSTEM and Administrators only)"

    if ($enrolled) {
        if ([string]::IsNullOrEmpty($Token)) {
            Write-Host "already enrolled ($ConfigDir\agent.json): keeping the enrollment"
        }
        else {
            Write-Host "already enrolled ($ConfigDir\agent.json): keeping the enrollment; the token given is not used"
        }
    }
    else {
        $enrollArgs = @('enroll', '--server', $Server, '--config', $ConfigDir)
        if (-not [string]::IsNullOrEmpty($Hostname)) {
            $enrollArgs += @('--hostname', $Hostname)
        }
        # The token through the environment, not the command line other local users can read.
        $env:RM_ENROLL_TOKEN = $Token
        & $exe @enrollArgs
        if ($LASTEXITCODE -ne 0) {
            Fail "enrollment failed (exit code $LASTEXITCODE); the agent is installed, run this again with a new token"
        }
    }

    $binaryPath = "`"$exe`" run --config `"$ConfigDir`""
    if (-not [string]::IsNullOrEmpty($ResticPath)) {
        $binaryPath += " --Agent:ResticPath `"$([IO.Path]::GetFullPath($ResticPath))`""
    }
    else {
        $restic = $null
        foreach ($folder in ([Environment]::GetEnvironmentVariable('Path', 'Machine') -split ';')) {
            try {
                if ($folder -ne '' -and [IO.File]::Exists([IO.Path]::Combine([Environment]::ExpandEnvironmentVariables($folder), 'restic.exe'))) {
                    $restic = $folder
                    break
                }
            }
            catch {
                # A malformed PATH entry is no reason to stop an install.
            }
        }
        if ($null -eq $restic) {
            Write-Warning 'restic.exe is not on the machine PATH, which the service (LocalSystem) uses: install restic for all users, or run this again with -ResticPath C:\path\to\restic.exe'
        }
    }

    $description = 'Runs restic backups and restores for a ResticManager server.'
    $service = Get-Service -Name $ServiceName -ErrorAction SilentlyContinue
    if ($null -eq $service) {
        New-Service -Name $ServiceName -BinaryPathName $binaryPath -DisplayName $ServiceDisplayName -Description $description -StartupType Automatic | Out-Null
        Write-Host "registered the service $ServiceName"
    }
    else {
        # The paths may have changed since the last install; Set-Service cannot change them in 5.1.
        $changed = Get-CimInstance -ClassName Win32_Service -Filter "Name='$ServiceName'" |
            Invoke-CimMethod -MethodName Change -Arguments @{ PathName = $binaryPath; StartMode = 'Automatic'; DisplayName = $ServiceDisplayName }
        if ($changed.ReturnValue -ne 0) {
            Fail "could not update the service $ServiceName (Win32_Service.Change returned $($changed.ReturnValue))"
        }
        Set-Service -Name $ServiceName -Description $description
        Write-Host "updated the service $ServiceName"
    }

    # Restart after 5 s, 30 s, then every minute; the count of failures resets after a day without one.
    & sc.exe failure $ServiceName reset= 86400 actions= restart/5000/restart/30000/restart/60000 | Out-Null
    if ($LASTEXITCODE -ne 0) {
        Fail "sc.exe failure $ServiceName failed (exit code $LASTEXITCODE)"
    }
    # Also when the agent stops by itself with an error (a non-zero exit code), not only when it crashes.
    & sc.exe failureflag $ServiceName 1 | Out-Null
    if ($LASTEXITCODE -ne 0) {
        Fail "sc.exe failureflag $ServiceName failed (exit code $LASTEXITCODE)"
    }

    if ($NoStart) {
        Write-Host "installed; start it with: Start-Service $ServiceName"
    }
    else {
        Start-Service -Name $ServiceName
        (Get-Service -Name $ServiceName).WaitForStatus('Running', (New-TimeSpan -Seconds 30))
        Write-Host "$ServiceName is running (Get-Service $ServiceName; warnings and errors go to the Application event log)"
    }
}
catch {
    # The old agent was stopped for the upgrade: leave it running as it was found, then report the error.
    if ($serviceWasRunning) {
        Start-Service -Name $ServiceName -ErrorAction SilentlyContinue
    }
    throw
}
finally {
    foreach ($leftover in @($download, $staged)) {
        if (Test-Path -LiteralPath $leftover) {
            Remove-Item -LiteralPath $leftover -Force -ErrorAction SilentlyContinue
        }
    }
    Remove-Item Env:RM_ENROLL_TOKEN -ErrorAction SilentlyContinue
}

& $exe version
