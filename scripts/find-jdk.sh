# Sourced by start.sh and test.sh: exports JAVA_HOME pointing at a JDK >= 25.
# Keeps a JAVA_HOME that is already new enough; otherwise looks under /usr/lib/jvm and picks the newest.
berth_java_major() {
  "$1/bin/java" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}' | cut -d. -f1
}
berth_find_jdk() {
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/javac" ] && [ "$(berth_java_major "$JAVA_HOME")" -ge 25 ] 2>/dev/null; then
    return 0
  fi
  local best="" best_major=0 dir major
  for dir in /usr/lib/jvm/* /opt/java/* /opt/jdk*; do
    [ -x "$dir/bin/javac" ] || continue
    major=$(berth_java_major "$dir")
    [ -n "$major" ] || continue
    if [ "$major" -ge 25 ] && [ "$major" -gt "$best_major" ]; then best="$dir"; best_major=$major; fi
  done
  if [ -z "$best" ]; then
    echo "Berth needs a JDK >= 25 and none was found under /usr/lib/jvm; install one (e.g. Temurin 25) or set JAVA_HOME." >&2
    return 1
  fi
  export JAVA_HOME="$best"
}
berth_find_jdk || exit 1
export PATH="$JAVA_HOME/bin:$PATH"
