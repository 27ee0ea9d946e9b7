#!/usr/bin/env bash
# Builds what operators install, from this checkout, into one folder (default artifacts/packages):
#   agent-builds/resticmanager-agent-<platform>[.exe]   the agent as one file per platform (ADR 0017)
#   agent-builds/builds.json                            version, protocol and SHA-256 of each build
#   server/                                             the embedded server, self-contained (linux-x64)
#   resticmanager-agent_<version>_<arch>.deb, resticmanager-server_<version>_amd64.deb
# Usage: packaging/build.sh [--out DIR] [--platforms linux-x64,linux-arm64,win-x64] [--no-server] [--no-deb]
# Needs the .NET SDK; NativeAOT needs clang (and, for linux-arm64 on x64, gcc-aarch64-linux-gnu with
# libc6-dev-arm64-cross); the packages need dpkg-deb. tests/run-all.sh installs them.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out="$root/artifacts/packages"
platforms="linux-x64,linux-arm64,win-x64"
server=1
deb=1
while [ $# -gt 0 ]; do
  case "$1" in
    --out) out="$2"; shift 2 ;;
    --platforms) platforms="$2"; shift 2 ;;
    --no-server) server=0; shift ;;
    --no-deb) deb=0; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done

mkdir -p "$out"
out="$(cd "$out" && pwd)"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
version="$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' "$root/Directory.Build.props" | head -1)"
protocol="$(sed -n 's:.*const int Current = \([0-9]*\);.*:\1:p' "$root/shared/ResticManager.Protocol/Wire/ProtocolVersion.cs")"

builds="$out/agent-builds"
rm -rf "$builds"
mkdir -p "$builds"
entries=""
IFS=',' read -ra wanted <<< "$platforms"
for platform in "${wanted[@]}"; do
  publish="$out/publish/agent-$platform"
  rm -rf "$publish"
  # Publish settings per platform (NativeAOT on Linux, trimmed single file on Windows) live in the csproj.
  dotnet publish "$root/agent/ResticManager.Agent/ResticManager.Agent.csproj" -c Release -r "$platform" \
    -o "$publish" -nologo -clp:ErrorsOnly -p:SkipWebUi=true
  case "$platform" in
    win-*) source="$publish/ResticManager.Agent.exe"; file="resticmanager-agent-$platform.exe" ;;
    *) source="$publish/ResticManager.Agent"; file="resticmanager-agent-$platform" ;;
  esac
  install -m 0755 "$source" "$builds/$file"
  sha="$(sha256sum "$builds/$file" | cut -d' ' -f1)"
  size="$(stat -c %s "$builds/$file")"
  entries="$entries${entries:+,}
    {\"platform\": \"$platform\", \"file\": \"$file\", \"sha256\": \"$sha\", \"size\": $size}"
  echo "agent $platform: $file $size bytes sha256 $sha"
done
cat > "$builds/builds.json" <<JSON
{
  "version": "$version",
  "protocol": $protocol,
  "builds": [$entries
  ]
}
JSON

if [ "$server" = 1 ]; then
  : # the server's self-contained build: packaging (see the server section below, added with the .deb work)
fi
if [ "$deb" = 1 ]; then
  : # the .deb packages (packaging/deb)
fi
