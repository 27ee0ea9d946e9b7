#!/usr/bin/env bash
# The test command: installs what the tests need when it is missing (Debian packages, as root:
# restic, mosquitto, mosquitto-clients, rabbitmq-server, kubernetes-client, rclone, prometheus, nodejs, npm,
# and for the packages clang, lld, gcc-aarch64-linux-gnu, libc6-dev-arm64-cross, lintian, systemd), builds the
# solution (which builds the web UI), builds the packages once (packaging/build.sh), runs every test project and
# the web UI's unit tests, and ends with one line "N passed, N failed, N skipped".
set -uo pipefail
cd "$(dirname "$0")/.."

need=()
# The browser tests drive Debian's chromium (never a downloaded browser); fonts for readable screenshots.
[ -x /usr/bin/chromium ] || need+=(chromium)
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || need+=(fonts-dejavu-core)
command -v restic >/dev/null 2>&1 || need+=(restic)
command -v mosquitto_pub >/dev/null 2>&1 || need+=(mosquitto-clients)
command -v mosquitto >/dev/null 2>&1 || [ -x /usr/sbin/mosquitto ] || need+=(mosquitto)
[ -x /usr/lib/rabbitmq/bin/rabbitmq-server ] || need+=(rabbitmq-server)
command -v kubectl >/dev/null 2>&1 || need+=(kubernetes-client)
command -v rclone >/dev/null 2>&1 || need+=(rclone)
# A real Prometheus scrapes /metrics in the metrics tests.
command -v prometheus >/dev/null 2>&1 || need+=(prometheus)
command -v npm >/dev/null 2>&1 || need+=(nodejs npm)
# packaging/build.sh: NativeAOT links with clang (lld for the arm64 cross build, with the aarch64 gcc's
# libraries and libc); the packaging tests run lintian and systemd-analyze (Debian's systemd package ships it
# without making systemd the init; readelf comes with the compilers' binutils).
command -v clang >/dev/null 2>&1 || need+=(clang)
command -v ld.lld >/dev/null 2>&1 || need+=(lld)
command -v aarch64-linux-gnu-gcc >/dev/null 2>&1 || need+=(gcc-aarch64-linux-gnu)
[ -f /usr/aarch64-linux-gnu/lib/libc.so.6 ] || need+=(libc6-dev-arm64-cross)
command -v lintian >/dev/null 2>&1 || need+=(lintian)
command -v systemd-analyze >/dev/null 2>&1 || need+=(systemd)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = "0" ]; then
    echo "installing: ${need[*]}"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null \
      || { echo "apt-get install ${need[*]} failed"; exit 1; }
  else
    echo "missing: ${need[*]}; install them (apt-get install ${need[*]}) or run this as root"
    exit 1
  fi
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
configuration="${CONFIGURATION:-Release}"
results="artifacts/test-results"
rm -rf "$results"

dotnet tool restore >/dev/null || { echo "dotnet tool restore failed"; exit 1; }
dotnet build ResticManager.sln -c "$configuration" -nologo -clp:ErrorsOnly || { echo "0 passed, 1 failed, 0 skipped"; exit 1; }

status=0
# The agent builds, the server's self-contained build and the .deb packages, once for every test that needs them
# (tests/ResticManager.Testing/PackagedBuilds.cs). It counts as one test (JUnit, beside the others' results): a
# failure is one failed test and the other tests still run.
mkdir -p "$results"
started=$(date +%s)
# Named even after a failure: the tests then fail on what is missing instead of each building it again.
export RM_PACKAGES="$PWD/artifacts/packages"
if packaging/build.sh --out "$RM_PACKAGES"; then
  outcome=""
else
  outcome="<failure message=\"packaging/build.sh failed: see its output above\"/>"
  status=1
fi
took=$(( $(date +%s) - started ))
echo "packaging/build.sh took $took s"
printf '<testsuite name="packaging"><testcase name="packaging/build.sh" time="%s">%s</testcase></testsuite>\n' "$took" "$outcome" \
  > "$results/packaging-junit.xml"

for project in tests/*/*Tests.csproj; do
  dotnet test "$project" -c "$configuration" --no-build --nologo \
    --logger "trx" --logger "console;verbosity=normal" --results-directory "$results" \
    --blame-hang-timeout 10m || status=1
done

# The web UI's unit tests (Vitest); the .NET build already ran npm ci in web/.
mkdir -p "$results"
npm --prefix web test -- --reporter=default --reporter=junit --outputFile.junit="$PWD/$results/web-junit.xml" || status=1

python3 tests/summarize-trx.py "$results" || status=1
exit $status
