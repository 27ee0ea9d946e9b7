#!/usr/bin/env bash
# The test command: installs what the tests need when it is missing (Debian packages, as root:
# restic, mosquitto, mosquitto-clients, rabbitmq-server, kubernetes-client, rclone, prometheus, nodejs, npm),
# builds the solution (which builds the web UI), runs every test project and the web UI's unit tests,
# and ends with one line "N passed, N failed, N skipped".
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
