#!/bin/sh
# Installs (or upgrades in place) the ResticManager agent on this Linux host, from the server that served
# this script: downloads the build for this machine, checks its SHA-256 against the hash baked in below,
# installs it, enrolls once and starts the systemd service.
#   curl -fsSL {{SERVER_URL}}/install/agent.sh | sudo sh -s -- --token <token>
# Run it again to upgrade: the enrollment (agent id, credentials) is kept and no token is needed.
# Needs glibc 2.34 or newer and a 64-bit userland (Debian 12, Ubuntu 22.04, RHEL 9 or newer).
# Exit codes: 0 done, 1 failed (download, hash, enrollment, service), 2 wrong usage, 3 not root, 4 unsupported machine.
set -eu

server='{{SERVER_URL}}'
version='{{AGENT_VERSION}}'
sha256_linux_x64='{{LINUX_X64_SHA256}}'
sha256_linux_arm64='{{LINUX_ARM64_SHA256}}'

token=''
prefix=''
start=1
hostname_arg=''
restore_paths=''
insecure=0

usage() {
  cat <<USAGE
Install or upgrade the ResticManager agent $version from $server.

Usage: sh agent.sh [--token TOKEN] [options]
  --token TOKEN          one-time enrollment token (needed for the first install only)
  --server URL           the server to download from and enroll with (default $server)
  --prefix DIR           install below DIR instead of / (a staging root; nothing is started)
  --hostname NAME        the name to enroll this host under (default: the machine name, lower case)
  --restore-path PATH    a folder the agent may restore into beyond its defaults (repeatable)
  --no-start             install and enroll, but do not start the service
  --insecure             allow an http:// server that is not this machine (the token crosses the network in clear)
  --help                 this text
USAGE
}

fail() {
  echo "error: $*" >&2
  exit 1
}

while [ $# -gt 0 ]; do
  case "$1" in
    --token) [ $# -ge 2 ] || { echo "error: --token needs a value" >&2; exit 2; }; token="$2"; shift 2 ;;
    --server) [ $# -ge 2 ] || { echo "error: --server needs a value" >&2; exit 2; }; server="${2%/}"; shift 2 ;;
    --prefix) [ $# -ge 2 ] || { echo "error: --prefix needs a value" >&2; exit 2; }; prefix="${2%/}"; shift 2 ;;
    --hostname) [ $# -ge 2 ] || { echo "error: --hostname needs a value" >&2; exit 2; }; hostname_arg="$2"; shift 2 ;;
    --restore-path)
      [ $# -ge 2 ] || { echo "error: --restore-path needs a value" >&2; exit 2; }
      case "$2" in /*) ;; *) echo "error: --restore-path must be an absolute path: $2" >&2; exit 2 ;; esac
      # White space (newlines too) would split the drop-in's line; % is a systemd specifier.
      case "$2" in *[[:space:]]*|*%*) echo "error: --restore-path must not contain white space or %: $2" >&2; exit 2 ;; esac
      restore_paths="$restore_paths $2"; shift 2 ;;
    --no-start) start=0; shift ;;
    --insecure) insecure=1; shift ;;
    --help|-h) usage; exit 0 ;;
    *) echo "error: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done

if [ "$(id -u)" != 0 ]; then
  echo "error: run this as root (curl -fsSL $server/install/agent.sh | sudo sh -s -- ...)" >&2
  exit 3
fi

# The enrollment token and the agent's MQTT secret would cross the network in clear over plain http.
case "$server" in
  https://*) ;;
  http://127.[0-9]*|http://localhost|http://localhost[:/]*|http://\[::1\]*) ;;
  http://*)
    [ "$insecure" = 1 ] || { echo "error: $server is plain http to another machine: the token and the agent's secret would cross the network in clear; use https (set Notifications:PublicUrl on the server) or pass --insecure" >&2; exit 2; }
    echo "warning: --insecure: talking to $server over plain http" >&2 ;;
  *) echo "error: --server must be an http(s) URL: $server" >&2; exit 2 ;;
esac

machine="$(uname -m)"
case "$machine" in
  x86_64|amd64) platform=linux-x64; expected="$sha256_linux_x64" ;;
  aarch64|arm64) platform=linux-arm64; expected="$sha256_linux_arm64" ;;
  *) echo "error: no agent build for this machine ($machine); builds exist for x86_64 and aarch64" >&2; exit 4 ;;
esac
if [ -z "$expected" ]; then
  echo "error: this server has no agent build for $platform; build one with packaging/build.sh" >&2
  exit 1
fi

bin_dir="$prefix/usr/local/bin"
binary="$bin_dir/resticmanager-agent"
config_dir="$prefix/etc/resticmanager-agent"
unit_dir="$prefix/etc/systemd/system"
unit="$unit_dir/resticmanager-agent.service"
url="$server/install/agent/$platform"

mkdir -p "$bin_dir"
download="$(mktemp "$bin_dir/.resticmanager-agent.download.XXXXXX")"
trap 'rm -f "$download"' EXIT
trap 'exit 1' HUP INT TERM

echo "downloading $url"
if command -v curl >/dev/null 2>&1; then
  curl -fsSL -o "$download" "$url" || fail "download of $url failed; nothing installed"
elif command -v wget >/dev/null 2>&1; then
  wget -q -O "$download" "$url" || fail "download of $url failed; nothing installed"
else
  fail "neither curl nor wget is installed; nothing installed"
fi

if command -v sha256sum >/dev/null 2>&1; then
  actual="$(sha256sum "$download" | cut -d' ' -f1)"
elif command -v shasum >/dev/null 2>&1; then
  actual="$(shasum -a 256 "$download" | cut -d' ' -f1)"
elif command -v openssl >/dev/null 2>&1; then
  actual="$(openssl dgst -sha256 "$download" | sed 's/^.*= *//')"
else
  fail "none of sha256sum, shasum or openssl is installed: cannot verify the download; nothing installed"
fi
if [ "$actual" != "$expected" ]; then
  fail "SHA-256 mismatch: expected $expected, got $actual; nothing installed"
fi
echo "SHA-256 verified: $actual"
chmod 0755 "$download"
# A build that cannot start here (an older glibc, a 32-bit userland) must not replace one that can.
"$download" version >/dev/null 2>&1 || fail "this build does not run here (needs glibc >= 2.34 and a 64-bit userland); nothing installed"

if [ -x "$binary" ]; then
  old="$("$binary" version 2>/dev/null | sed -n 's/^ResticManager.Agent \([^,]*\).*/\1/p' | head -n 1)"
  echo "upgrading ${old:-an unknown version} -> $version"
else
  echo "installing $version"
fi
# A rename within one folder: the running service keeps its old file until it restarts.
mv -f "$download" "$binary"
trap - EXIT

mkdir -p "$config_dir"
chmod 0700 "$config_dir"
if [ -f "$config_dir/agent.json" ]; then
  if [ -n "$token" ]; then
    echo "already enrolled ($config_dir/agent.json): keeping the enrollment; the token given is not used"
  else
    echo "already enrolled ($config_dir/agent.json): keeping the enrollment"
  fi
else
  [ -n "$token" ] || fail "this host is not enrolled yet: pass --token with an enrollment token from the web UI (Hosts, Enroll)"
  if [ -n "$hostname_arg" ]; then
    RM_ENROLL_TOKEN="$token" "$binary" enroll --server "$server" --config "$config_dir" --hostname "$hostname_arg" || fail "enrollment failed"
  else
    RM_ENROLL_TOKEN="$token" "$binary" enroll --server "$server" --config "$config_dir" || fail "enrollment failed"
  fi
fi

first_install=1
[ -f "$unit" ] && first_install=0
mkdir -p "$unit_dir"
cat > "$unit.new" <<'UNIT'
{{SYSTEMD_UNIT}}
UNIT
mv -f "$unit.new" "$unit"
chmod 0644 "$unit"
echo "wrote $unit"

if [ -n "$restore_paths" ]; then
  mkdir -p "$unit.d"
  {
    echo "# Written by the install script: folders the agent may restore into beyond its defaults."
    echo "[Service]"
    echo "ReadWritePaths=-${restore_paths# }" | sed 's/ / -/g'
  } > "$unit.d/restore-paths.conf"
  chmod 0644 "$unit.d/restore-paths.conf"
  echo "wrote $unit.d/restore-paths.conf"
fi

if [ -z "$prefix" ] && command -v dpkg-query >/dev/null 2>&1 \
  && dpkg-query -W -f='${Status}' resticmanager-agent 2>/dev/null | grep -q 'ok installed'; then
  echo "warning: the resticmanager-agent package is installed too: $unit now shadows its unit; remove one (apt remove resticmanager-agent, or delete $unit and /usr/local/bin/resticmanager-agent)" >&2
fi

if [ -z "$prefix" ] && [ -d /run/systemd/system ]; then
  systemctl daemon-reload || fail "systemctl daemon-reload failed"
  # Enabled on the first install only, as the .deb does: a rerun leaves a unit the operator disabled disabled.
  if [ "$first_install" = 1 ]; then
    systemctl enable resticmanager-agent.service >/dev/null 2>&1 || fail "systemctl enable resticmanager-agent failed"
  fi
  if [ "$start" = 0 ]; then
    echo "installed; start it with: systemctl enable --now resticmanager-agent"
  elif systemctl is-enabled --quiet resticmanager-agent.service; then
    systemctl restart resticmanager-agent.service || fail "systemctl restart resticmanager-agent failed (see: journalctl -u resticmanager-agent)"
    echo "resticmanager-agent $version is running (systemctl status resticmanager-agent)"
  else
    echo "installed; resticmanager-agent is disabled, so it was left stopped (start it with: systemctl enable --now resticmanager-agent)"
  fi
else
  echo "installed; start it with: $binary run --config $config_dir (or enable the unit where systemd runs)"
fi
