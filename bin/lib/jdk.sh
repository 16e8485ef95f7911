# Sourced by bin/quarry and bin/test: finds a JDK 21 or newer and exports JAVA_HOME, so that
# nobody has to set it by hand on a machine whose default java is older.

# Prints the feature release (21, 25, ...) of the JDK at $1, or 0 when it is not a JDK.
quarry_jdk_major() {
    local home=$1 version=""
    [ -x "$home/bin/java" ] && [ -x "$home/bin/javac" ] || { echo 0; return; }
    if [ -r "$home/release" ]; then
        version=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$home/release")
    fi
    if [ -z "$version" ]; then
        version=$("$home/bin/java" -XshowSettings:properties -version 2>&1 \
            | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p')
    fi
    echo "${version:-0}"
}

# Exports JAVA_HOME: an explicit QUARRY_JAVA_HOME or JAVA_HOME of 21+ wins, else the newest JDK
# 21+ found next to the default java or in the usual install folders.
quarry_find_jdk() {
    local candidate major best="" best_major=0 javac_path=""
    for candidate in "${QUARRY_JAVA_HOME:-}" "${JAVA_HOME:-}"; do
        if [ -n "$candidate" ] && [ "$(quarry_jdk_major "$candidate")" -ge 21 ]; then
            export JAVA_HOME=$candidate
            return 0
        fi
    done
    javac_path=$(command -v javac 2>/dev/null || true)
    for candidate in ${javac_path:+"$(dirname "$(dirname "$(readlink -f "$javac_path")")")"} \
                     /usr/lib/jvm/* /usr/local/lib/jvm/* /opt/java/* /opt/jdk* \
                     "$HOME"/.sdkman/candidates/java/* "$HOME"/.jdks/*; do
        [ -d "$candidate" ] || continue
        major=$(quarry_jdk_major "$candidate")
        if [ "$major" -ge 21 ] && [ "$major" -gt "$best_major" ]; then
            best=$candidate
            best_major=$major
        fi
    done
    if [ -z "$best" ]; then
        echo "quarry: no JDK 21 or newer found (looked at JAVA_HOME, the default java and /usr/lib/jvm)." >&2
        echo "quarry: install one (Debian: apt-get install openjdk-21-jdk-headless) or set QUARRY_JAVA_HOME." >&2
        return 1
    fi
    export JAVA_HOME=$best
}

# JVM flags every Quarry process needs (see the parent POM's quarry.jvm.flags).
quarry_jvm_flags() {
    local flags="--enable-native-access=ALL-UNNAMED --add-exports java.base/sun.nio.ch=ALL-UNNAMED"
    if [ "$(quarry_jdk_major "$JAVA_HOME")" -ge 23 ]; then
        flags="$flags --sun-misc-unsafe-memory-access=allow"
    fi
    echo "$flags"
}

# Maven itself prints Unsafe warnings on JDK 23+ through its bundled Guava; silence them there.
quarry_maven_opts() {
    if [ "$(quarry_jdk_major "$JAVA_HOME")" -ge 23 ]; then
        export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
    fi
}
