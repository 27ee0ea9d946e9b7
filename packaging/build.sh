#!/usr/bin/env bash
# Builds what operators install, from this checkout, into one folder (default artifacts/packages):
#   agent-builds/resticmanager-agent-<platform>[.exe]   the agent as one file per platform (ADR 0017)
#   agent-builds/builds.json                            version, protocol and SHA-256 of each build
#   server/                                             the embedded server, self-contained (linux-x64)
#   resticmanager-agent_<version>-1_<arch>.deb (amd64, arm64), resticmanager-server_<version>-1_amd64.deb (packaging/README.md)
# Usage: packaging/build.sh [--out DIR] [--platforms linux-x64,linux-arm64,win-x64] [--no-server] [--no-deb]
# Needs the .NET SDK; NativeAOT needs clang (and, for linux-arm64 on x64, gcc-aarch64-linux-gnu with
# libc6-dev-arm64-cross); the server needs node/npm (the web UI); the packages need dpkg-deb and readelf.
# tests/run-all.sh installs them.
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
# Nothing from an earlier run may pass for this one's (a failed step leaves its output missing, never stale).
rm -rf "$builds" "$out/server" "$out/deb" "$out"/resticmanager-*.deb
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
  # The embedded server, self-contained (no .NET on the machine), not trimmed (reflection everywhere: EF Core,
  # MassTransit, ASP.NET), with the web UI, and with the agent builds it serves for the one-line install.
  rm -rf "$out/server"
  dotnet publish "$root/services/Server/ResticManager.Server/ResticManager.Server.csproj" -c Release -r linux-x64 \
    --self-contained -o "$out/server" -nologo -clp:ErrorsOnly -p:SkipWebUi=false
  [ -f "$out/server/wwwroot/index.html" ] || { echo "the server's publish has no web UI (wwwroot/index.html)" >&2; exit 1; }
  cp -r "$builds" "$out/server/agent-builds"
  # The runtime's LTTng trace provider needs liblttng-ust, which the runtime loads only when it is there; without
  # the library it is dead weight (and a dependency no Debian release names alike).
  rm -f "$out/server/libcoreclrtraceptprovider.so"
  # Microsoft's authentication broker (through SQL Server's Azure.Identity) draws in GTK and WebKit; nothing here
  # signs in through a desktop broker, and MSAL does without it unless told to use one.
  rm -f "$out/server/libmsalruntime.so"
  # SQLite's library comes with its symbols: not needed to run, a third of its size.
  strip --strip-unneeded --remove-section=.comment "$out/server/libe_sqlite3.so"
  echo "server: $(du -sm "$out/server" | cut -f1) MiB in $out/server"
fi

# The Debian packages' Depends for the ELF files under a folder: the packages of the libraries they link
# (by soname; one that is not known stops the build, so a new dependency is never missed) and libc6 at least at
# the newest GLIBC_ symbol version they use. OpenSSL is loaded at run time (TLS): named by the caller.
elf_depends() {
  local folder="$1" glibc="2.17" packages="" file needed version package
  while IFS= read -r -d '' file; do
    [ "$(head -c 4 "$file" | od -An -c | tr -d ' ')" = '177ELF' ] || continue
    version="$(readelf -W --dyn-syms "$file" 2>/dev/null | grep -o 'GLIBC_[0-9.]*' | sed 's/GLIBC_//' | sort -uV | tail -1)"
    [ -n "$version" ] && glibc="$(printf '%s\n%s\n' "$glibc" "$version" | sort -V | tail -1)"
    for needed in $(readelf -d "$file" 2>/dev/null | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'); do
      case "$needed" in
        libc.so.*|libm.so.*|libdl.so.*|libpthread.so.*|librt.so.*|ld-linux*) package=libc6 ;;
        libgcc_s.so.1) package=libgcc-s1 ;;
        libstdc++.so.6) package=libstdc++6 ;;
        libz.so.1) package=zlib1g ;;
        *) [ -e "$(dirname "$file")/$needed" ] && continue
           echo "$file needs $needed: map it to its Debian package in packaging/build.sh" >&2; return 1 ;;
      esac
      case " $packages " in *" $package "*) ;; *) packages="$packages $package" ;; esac
    done
  done < <(find "$folder" -type f -print0)
  local depends="libc6 (>= $glibc)"
  for package in $packages; do [ "$package" = libc6 ] || depends="$depends, $package"; done
  echo "$depends"
}

# One .deb from a staged tree: the control file from its template, md5sums, conffiles, maintainer scripts, the
# copyright, changelog and man page, lintian's documented overrides; modes normalised (root owns everything).
build_deb() {
  local name="$1" arch="$2" tree="$3" depends="$4" source="$root/packaging/deb/${1#resticmanager-}"
  local doc="$tree/usr/share/doc/$name" debversion="$version-1"
  install -d "$doc" "$tree/usr/share/man/man8" "$tree/usr/share/lintian/overrides" "$tree/DEBIAN"
  install -m 0644 "$source/copyright" "$doc/copyright"
  sed -e "s/@VERSION@/$debversion/" -e "s/@COMMIT@/$commit/" -e "s/@DATE@/$date/" "$source/changelog" | gzip -9n > "$doc/changelog.Debian.gz"
  gzip -9n < "$source/$name.8" > "$tree/usr/share/man/man8/$name.8.gz"
  install -m 0644 "$source/lintian-overrides" "$tree/usr/share/lintian/overrides/$name"
  # Folders 0755, files 0644, programs (ELF files with an interpreter: not the shared libraries, not the .NET
  # assemblies the publish marks executable) 0755; then what the package sets on purpose.
  find "$tree" -type d -exec chmod 0755 {} +
  find "$tree" -type f -exec chmod 0644 {} +
  local file
  while IFS= read -r -d '' file; do
    if readelf -l "$file" 2>/dev/null | grep -q 'program interpreter'; then chmod 0755 "$file"; fi
  done < <(find "$tree" -type f -print0)
  [ -n "${5:-}" ] && (cd "$tree" && eval "$5")
  for script in postinst prerm postrm; do install -m 0755 "$source/$script" "$tree/DEBIAN/$script"; done
  [ -f "$source/conffiles" ] && install -m 0644 "$source/conffiles" "$tree/DEBIAN/conffiles"
  (cd "$tree" && find . -path ./DEBIAN -prune -o -type f -printf '%P\0' | LC_ALL=C sort -z | xargs -0 md5sum) > "$tree/DEBIAN/md5sums"
  chmod 0644 "$tree/DEBIAN/md5sums"
  local size
  size="$(du -sk --exclude=DEBIAN "$tree" | cut -f1)"
  sed -e "s/@VERSION@/$debversion/" -e "s/@ARCH@/$arch/" -e "s/@INSTALLED_SIZE@/$size/" -e "s/@DEPENDS@/$depends/" \
    "$source/control" > "$tree/DEBIAN/control"
  chmod 0644 "$tree/DEBIAN/control"
  local deb="$out/${name}_${debversion}_${arch}.deb"
  # xz at level 1: on the server's 162 MiB a ninth of level 6's time (25 s against 215 s on a busy 2-core machine)
  # for 12% more bytes (59 against 53 MB); gzip is larger still, zstd is not read by dpkg before Debian 12.
  SOURCE_DATE_EPOCH="$epoch" dpkg-deb --root-owner-group -Zxz -z1 --build "$tree" "$deb" >/dev/null
  echo "deb: $deb $(stat -c %s "$deb") bytes"
}

if [ "$deb" = 1 ]; then
  commit="$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)"
  epoch="$(git -C "$root" log -1 --format=%ct 2>/dev/null || date +%s)"
  date="$(LC_ALL=C date -u -R -d "@$epoch")"
  staging="$out/deb"
  for platform in "${wanted[@]}"; do
    case "$platform" in
      linux-x64) arch=amd64 ;;
      linux-arm64) arch=arm64 ;;
      *) continue ;;
    esac
    tree="$staging/agent-$arch"
    install -d "$tree/usr/bin" "$tree/lib/systemd/system" "$tree/etc/resticmanager-agent"
    install -m 0755 "$builds/resticmanager-agent-$platform" "$tree/usr/bin/resticmanager-agent"
    install -m 0644 "$root/packaging/systemd/resticmanager-agent.service" "$tree/lib/systemd/system/"
    depends="$(elf_depends "$tree/usr/bin")"
    build_deb resticmanager-agent "$arch" "$tree" "$depends, libssl3 | libssl3t64" "chmod 0700 etc/resticmanager-agent"
  done
  if [ "$server" = 1 ]; then
    tree="$staging/server-amd64"
    install -d "$tree/usr/lib" "$tree/usr/bin" "$tree/lib/systemd/system" "$tree/etc/default"
    cp -r "$out/server" "$tree/usr/lib/resticmanager"
    ln -s ../lib/resticmanager/ResticManager.Server "$tree/usr/bin/resticmanager-server"
    install -m 0644 "$root/packaging/systemd/resticmanager-server.service" "$tree/lib/systemd/system/"
    install -m 0600 "$root/packaging/deb/server/resticmanager-server.default" "$tree/etc/default/resticmanager-server"
    depends="$(elf_depends "$tree/usr/lib/resticmanager")"
    # The agent builds are data here: the server hands them to hosts (the one-line install sets their mode there).
    build_deb resticmanager-server amd64 "$tree" "$depends, libssl3 | libssl3t64" \
      "chmod 0600 etc/default/resticmanager-server && chmod 0644 usr/lib/resticmanager/agent-builds/*"
  fi
  rm -rf "$staging"
fi
