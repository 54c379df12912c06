#!/bin/sh
# Launcher of a hostwatch component, installed as bin/hostwatch-<component> (hostwatch-member-agent,
# hostwatch-prober, hostwatch-detector) next to the component's hostwatch-<component>.jar and lib/.
#
#   hostwatch-<component> [run] --config FILE | check-config --config FILE | version | config-docs | ...
#
# Every argument goes to the component unchanged. The launcher only picks the Java runtime and the JVM options:
#   Java 17 or newer: $JAVA_HOME/bin/java, else `java` on PATH, else the newest under /usr/lib/jvm.
#   JVM options, one per line ('#' comments and blank lines ignored), from the first of:
#     $HOSTWATCH_JVM_OPTIONS_FILE (must exist if set), /etc/hostwatch/<component>.jvm.options,
#     <install dir>/etc/<component>.jvm.options; then the words of $HOSTWATCH_JVM_OPTS are appended (later wins).
# It execs the JVM, so the JVM gets the signals (systemd stop) and its exit code is the command's.
set -eu

self=$(readlink -f "$0" 2>/dev/null || printf '%s' "$0")
name=$(basename "$self")
component=${name#hostwatch-}
app_home=$(cd "$(dirname "$self")/.." && pwd -P)
jar="$app_home/$name.jar"
required_major=17

fail() {
    printf '%s: %s\n' "$name" "$*" >&2
    exit 1
}

# Major version of the Java runtime whose java binary is $1 (empty if it cannot be told): the runtime's
# release file if it has one (no JVM start), else the first line of `java -version`.
java_major() {
    home=$(dirname "$(dirname "$(readlink -f "$1" 2>/dev/null || printf '%s' "$1")")")
    version=
    if [ -r "$home/release" ]; then
        version=$(sed -n 's/^JAVA_VERSION="\([^"]*\)".*/\1/p' "$home/release")
    fi
    if [ -z "$version" ]; then
        version=$("$1" -version 2>&1 | sed -n '1s/^[^"]*"\([^"]*\)".*/\1/p') || true
    fi
    case $version in
        1.*) version=${version#1.} ;;
    esac
    printf '%s' "${version%%[!0-9]*}"
}

tried=
usable() {
    [ -x "$1" ] || return 1
    major=$(java_major "$1")
    tried="$tried $1 (${major:-unknown version})"
    [ -n "$major" ] && [ "$major" -ge "$required_major" ]
}

java=
if [ -n "${JAVA_HOME:-}" ]; then
    if usable "$JAVA_HOME/bin/java"; then
        java="$JAVA_HOME/bin/java"
    else
        printf '%s: ignoring JAVA_HOME=%s: no Java %s+ there\n' "$name" "$JAVA_HOME" "$required_major" >&2
    fi
fi
if [ -z "$java" ] && command -v java >/dev/null 2>&1 && usable "$(command -v java)"; then
    java=$(command -v java)
fi
if [ -z "$java" ]; then
    best=0
    for candidate in /usr/lib/jvm/*/bin/java; do
        if usable "$candidate" && [ "$major" -gt "$best" ]; then
            java=$candidate
            best=$major
        fi
    done
fi
[ -n "$java" ] || fail "needs a Java $required_major+ runtime and found none (tried:${tried:- nothing});" \
    "install one (Debian: apt-get install openjdk-17-jre-headless) or set JAVA_HOME"
[ -r "$jar" ] || fail "$jar is missing: is this launcher inside a hostwatch installation?"

if [ -n "${HOSTWATCH_JVM_OPTIONS_FILE:-}" ]; then
    [ -r "$HOSTWATCH_JVM_OPTIONS_FILE" ] || fail "HOSTWATCH_JVM_OPTIONS_FILE=$HOSTWATCH_JVM_OPTIONS_FILE is not readable"
    options_file=$HOSTWATCH_JVM_OPTIONS_FILE
elif [ -r "/etc/hostwatch/$component.jvm.options" ]; then
    options_file="/etc/hostwatch/$component.jvm.options"
elif [ -r "$app_home/etc/$component.jvm.options" ]; then
    options_file="$app_home/etc/$component.jvm.options"
else
    options_file=
fi

# Build "JVM options -jar JAR arguments" in "$@": append the options and the jar after the arguments, then
# rotate the original arguments to the end, which keeps every argument intact whatever it contains.
argc=$#
if [ -n "$options_file" ]; then
    while IFS= read -r line || [ -n "$line" ]; do
        line=${line#"${line%%[![:space:]]*}"}
        line=${line%"${line##*[![:space:]]}"}
        case $line in
            '' | '#'*) continue ;;
        esac
        set -- "$@" "$line"
    done <"$options_file"
fi
if [ -n "${HOSTWATCH_JVM_OPTS:-}" ]; then
    set -f
    # shellcheck disable=SC2086 # word splitting of the variable is the point
    set -- "$@" $HOSTWATCH_JVM_OPTS
    set +f
fi
set -- "$@" -jar "$jar"
while [ "$argc" -gt 0 ]; do
    set -- "$@" "$1"
    shift
    argc=$((argc - 1))
done
exec "$java" "$@"
