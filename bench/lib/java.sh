# Sourced by the bench scripts: sets java_bin to a JDK 21+ (JAVA_HOME if it is one, else the newest under
# /usr/lib/jvm), or exits with a message naming the calling script.
java_major() { "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p'; }
java_bin=""
if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ] && [ "$(java_major "$JAVA_HOME/bin/java")" -ge 21 ]; then
  java_bin="$JAVA_HOME/bin/java"
else
  best=0
  for candidate in /usr/lib/jvm/*/bin/java; do
    [ -x "$candidate" ] || continue
    major=$(java_major "$candidate")
    if [ "${major:-0}" -ge 21 ] && [ "$major" -gt "$best" ]; then best=$major; java_bin=$candidate; fi
  done
fi
if [ -z "$java_bin" ]; then
  echo "$(basename "$0"): no JDK 21+ found (set JAVA_HOME)" >&2
  exit 1
fi
