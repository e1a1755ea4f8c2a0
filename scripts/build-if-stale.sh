# Sourced by start.sh and the benchmarks: builds Berth and the berth CLI (without tests) when the server jar
# or the CLI's jar is missing, or older than any source, so nothing ever runs or times a stale jar. Needs JAVA_HOME (scripts/find-jdk.sh).
berth_build_if_stale() {
  local jar=berth-server/target/berth-server.jar
  if [ ! -f "$jar" ] || [ ! -f berth-cli/target/berth-cli-all.jar ] || [ -n "$(find . -path ./data -prune -o -path ./.git -prune -o \( -name '*.java' -o -name 'pom.xml' -o -path '*/src/main/resources/*' \) -newer "$jar" -print -quit)" ]; then
    echo "Building Berth (first start or sources changed)..." >&2
    ./mvnw -B -q -ntp -DskipTests -Dspotless.check.skip=true install
  fi
}
berth_build_if_stale
