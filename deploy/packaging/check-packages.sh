#!/usr/bin/env bash
# Installs the three hostwatch Debian packages on this machine, checks what an operator gets, purges them and
# checks that nothing is left. CI runs it after `mvn -B verify` (.ci/run); a developer runs it as root after
#   mvn -B package -DskipTests -pl member-agent,prober,detector-stream -am
#
#   deploy/packaging/check-packages.sh [DEB...]     (default: the .deb in each module's target/)
#
# Checked per package: `apt-get install ./x.deb` resolves its Depends; `hostwatch-<c> version` and
# `hostwatch-<c> check-config --config /etc/hostwatch/<c>.properties` (as the unit's user) exit 0 on the installed
# example config; `systemd-analyze verify` accepts the installed unit (it runs offline, without systemd as PID 1);
# /usr/share/doc/hostwatch-<c> has the copyright file and lists every bundled jar with its licence; nothing was
# enabled or started; the launcher picks Java 17+ and passes options and arguments intact; upgrade
# and rollback with dpkg -i keep an edited conffile; `apt-get purge` leaves no file, unit, user or dpkg entry
# behind. It refuses to run if hostwatch is already installed here: it would purge it.
set -euo pipefail
cd "$(dirname "$0")/../.."

components=(member-agent prober detector)
declare -A module=([member-agent]=member-agent [prober]=prober [detector]=detector-stream)
declare -A user=([member-agent]=root [prober]=hostwatch [detector]=hostwatch)

failures=0
installed=0
say() { printf 'check-packages: %s\n' "$*"; }
fail() {
  printf 'check-packages: FAIL: %s\n' "$*" >&2
  failures=$((failures + 1))
}
# The first lines of a command's output: enough to see why it failed without a whole usage text.
head_of() { printf '%s' "$1" | head -n 4; }
die() {
  printf 'check-packages: FAIL: %s\n' "$*" >&2
  exit 1
}
packages() { printf 'hostwatch-%s ' "${components[@]}"; }
# dpkg's view of a package: "installed", "config-files", "not-installed" (or nothing if dpkg never knew it).
status_of() { dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null || true; }

# A failed check must not leave the packages installed on a developer's machine or a reused CI machine.
cleanup() {
  if [ "$installed" = 1 ]; then
    say "purging after failure"
    # shellcheck disable=SC2046
    DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq $(packages) >/dev/null 2>&1 || true
  fi
}
trap cleanup EXIT

[ "$(id -u)" = 0 ] || die "must run as root (it installs and purges packages)"
if ! command -v apt-get >/dev/null || ! command -v dpkg-query >/dev/null; then
  die "needs a Debian system (apt-get, dpkg)"
fi

debs=("$@")
if [ ${#debs[@]} -eq 0 ]; then
  for c in "${components[@]}"; do
    found=("${module[$c]}"/target/hostwatch-"$c"_*_all.deb)
    [ -f "${found[0]}" ] || die "no ${module[$c]}/target/hostwatch-${c}_*_all.deb: run" \
      "mvn -B package -DskipTests -pl member-agent,prober,detector-stream -am"
    [ ${#found[@]} -eq 1 ] || die "several packages in ${module[$c]}/target: ${found[*]}; name the ones to check"
    debs+=("./${found[0]}")
  done
fi

for c in "${components[@]}"; do
  case "$(status_of "hostwatch-$c")" in
    "" | not-installed) ;;
    *) die "hostwatch-$c is already installed here ($(status_of "hostwatch-$c")): this check would purge it" ;;
  esac
done
for path in /opt/hostwatch /etc/hostwatch /var/lib/hostwatch; do
  [ ! -e "$path" ] || die "$path exists before the check: remove it first, the check asserts it is gone after purge"
done
! getent passwd hostwatch >/dev/null || die "user hostwatch exists before the check: the check asserts purge removes it"

say "installing ${debs[*]}"
export DEBIAN_FRONTEND=noninteractive
installed=1
if ! apt-get install -y -qq "${debs[@]}" >/tmp/check-packages-apt.log 2>&1; then
  say "apt-get install failed; refreshing the package lists and trying once more"
  apt-get update -qq
  apt-get install -y -qq "${debs[@]}" >/tmp/check-packages-apt.log 2>&1 \
    || { cat /tmp/check-packages-apt.log >&2; die "apt-get install of the packages failed"; }
fi

# The example configs authenticate heartbeats (contract section 11) and name their key files; make them as an
# operator would (README, Security), with the installed commands: a master key for the detector and the prober
# (both run as hostwatch, and a key file must be its owner's only), and this host's key for the agent (root).
keys=/etc/hostwatch/keys
install -d -m 0750 -o root -g hostwatch "$keys"
hostwatch-detector keys generate-master --key-id k1 --out "$keys/master-k1.key" >/dev/null \
  || die "hostwatch-detector keys generate-master failed"
agent_host=$(HOSTWATCH_AUTH_KEY_FILE='' hostwatch-member-agent check-config \
  --config /etc/hostwatch/member-agent.properties 2>/dev/null | sed -n 's/.* host=\([^ ]*\).*/\1/p')
[ -n "$agent_host" ] || die "could not read the agent's host id from its check-config"
hostwatch-member-agent keys derive --master "$keys/master-k1.key" --host "$agent_host" --out "$keys/host.key" \
  >/dev/null || die "hostwatch-member-agent keys derive failed"
chown hostwatch:hostwatch "$keys/master-k1.key"
for f in "$keys"/*.key; do
  [ "$(stat -c %a "$f")" = 600 ] || fail "$f was created with mode $(stat -c %a "$f"), not 0600"
done
say "keys: master k1 (hostwatch) and the host key of '$agent_host' (root) in $keys, mode 0600"

for c in "${components[@]}"; do
  p="hostwatch-$c"
  unit="/lib/systemd/system/$p.service"
  say "---- $p $(dpkg-query -W -f='${Version}' "$p") (Depends: $(dpkg-query -W -f='${Depends}' "$p"))"
  [ "$(status_of "$p")" = installed ] || fail "$p is not installed after apt-get install"
  for f in "/opt/hostwatch/$c/bin/$p" "/opt/hostwatch/$c/$p.jar" "/etc/hostwatch/$c.properties" \
    "/etc/hostwatch/$c.jvm.options" "$unit"; do
    [ -f "$f" ] || fail "$p: $f is missing"
  done
  [ "$(readlink -f "/usr/bin/$p")" = "/opt/hostwatch/$c/bin/$p" ] \
    || fail "$p: /usr/bin/$p does not lead to the launcher"
  dpkg-query -W -f='${Conffiles}\n' "$p" | grep -q " /etc/hostwatch/$c.properties " \
    || fail "$p: /etc/hostwatch/$c.properties is not a conffile"

  # Every bundled jar is named with its licence in THIRD-PARTY (entries read "(licence) name (group:artifact:version
  # - url)"; copy-dependencies names a jar artifact-version.jar).
  doc="/usr/share/doc/$p"
  [ -f "$doc/copyright" ] || fail "$p: $doc/copyright is missing"
  if [ -f "$doc/THIRD-PARTY" ]; then
    listed=$(grep -oE '\([^ ():]+:[^ ():]+:[^ ():]+ ' "$doc/THIRD-PARTY" | awk -F: '{print $2 "-" $3 ".jar"}' | tr -d ' ')
    unlisted=$(cd "/opt/hostwatch/$c/lib" && ls -1 -- *.jar | grep -vxF -f <(printf '%s\n' "$listed") || true)
    if [ -n "$unlisted" ]; then
      fail "$p: jars in /opt/hostwatch/$c/lib without a licence entry in $doc/THIRD-PARTY: $(echo $unlisted)"
    else
      say "$p: $doc/copyright present; all $(ls -1 "/opt/hostwatch/$c/lib" | wc -l) jars in lib/ listed with a licence"
    fi
  else
    fail "$p: $doc/THIRD-PARTY is missing"
  fi

  if out=$("$p" version 2>&1); then
    say "$p version: $out"
  else
    fail "$p version exited $?: $(head_of "$out")"
  fi
  as_user=(runuser -u "${user[$c]}" --)
  if out=$("${as_user[@]}" "$p" check-config --config "/etc/hostwatch/$c.properties" 2>&1); then
    say "$p check-config (as ${user[$c]}): $(printf '%s' "$out" | tail -n 1)"
  else
    fail "$p check-config --config /etc/hostwatch/$c.properties (as ${user[$c]}) exited $?: $(head_of "$out")"
  fi

  if out=$(systemd-analyze verify "$unit" 2>&1); then
    if [ -n "$out" ]; then
      fail "systemd-analyze verify $unit warns: $out"
    else
      say "systemd-analyze verify $unit: OK"
    fi
  else
    fail "systemd-analyze verify $unit exited $?: $out"
  fi
  enabled=(/etc/systemd/system/*.wants/"$p.service")
  [ ! -e "${enabled[0]}" ] || fail "$p: the package enabled its unit (${enabled[*]}); the operator must do that"
  ! pgrep -f "/opt/hostwatch/$c/" >/dev/null || fail "$p: a process from /opt/hostwatch/$c runs after install"
done

if getent passwd hostwatch >/dev/null; then
  shell=$(getent passwd hostwatch | cut -d: -f7)
  say "user hostwatch: $(id hostwatch), shell $shell"
  case "$shell" in */nologin | */false) ;; *) fail "user hostwatch has a login shell: $shell" ;; esac
else
  fail "the packages did not create the user hostwatch"
fi
owner=$(stat -c %U:%G /var/lib/hostwatch/detector 2>/dev/null || true)
[ "$owner" = hostwatch:hostwatch ] \
  || fail "/var/lib/hostwatch/detector is not owned by hostwatch:hostwatch (${owner:-missing})"

# The installed launcher, with a stand-in java that prints its arguments: JVM options from the conffile, then
# HOSTWATCH_JVM_OPTS, then -jar, then every argument unchanged (spaces, empty, glob characters); a JAVA_HOME
# older than 17 is passed over for one that is new enough.
stub=$(mktemp -d)
mkdir -p "$stub/old/bin" "$stub/new/bin"
echo 'JAVA_VERSION="11.0.2"' >"$stub/old/release"
echo 'JAVA_VERSION="17.0.9"' >"$stub/new/release"
printf '#!/bin/sh\necho old java must not run\n' >"$stub/old/bin/java"
cat >"$stub/new/bin/java" <<'STUB'
#!/bin/sh
for a in "$@"; do printf '[%s]\n' "$a"; done
STUB
chmod +x "$stub/old/bin/java" "$stub/new/bin/java"
launcher=/opt/hostwatch/prober/bin/hostwatch-prober
expected=$(
  sed -e 's/^[[:space:]]*//' -e 's/[[:space:]]*$//' -e '/^#/d' -e '/^$/d' -e 's/.*/[&]/' \
    /etc/hostwatch/prober.jvm.options
  printf '%s\n' "[-Xmx300m]" "[-Dx=1]" "[-jar]" "[/opt/hostwatch/prober/hostwatch-prober.jar]" \
    "[run]" "[a b]" "[]" "[*]"
)
got=$(JAVA_HOME="$stub/old" PATH="$stub/new/bin:$PATH" HOSTWATCH_JVM_OPTS="-Xmx300m -Dx=1" \
  "$launcher" run "a b" "" "*" 2>/dev/null || true)
if [ "$got" = "$expected" ]; then
  say "launcher: Java 17+ chosen over an older JAVA_HOME; options, -jar and arguments passed as expected"
else
  fail "launcher passed the wrong command line; expected:
$expected
got:
$got"
fi
rm -rf "$stub"

# Upgrade and rollback with dpkg -i keep an operator's edit of a conffile. The prober package repacked with a
# higher version stands in for the next release; installing the built one again is the rollback.
prober_deb=$(printf '%s\n' "${debs[@]}" | grep -E -m1 '(^|/)hostwatch-prober_[^/]*\.deb$' || true)
if [ -n "$prober_deb" ]; then
  echo "# edited by check-packages" >>/etc/hostwatch/prober.properties
  built=$(dpkg-deb -f "$prober_deb" Version)
  next="$built+check1"
  work=$(mktemp -d)
  dpkg-deb -R "$prober_deb" "$work/pkg"
  sed -i "s/^Version: .*/Version: $next/" "$work/pkg/DEBIAN/control"
  dpkg-deb -Znone -b "$work/pkg" "$work/next.deb" >/dev/null
  for step in "upgrade:$work/next.deb:$next" "rollback:$prober_deb:$built"; do
    IFS=: read -r what deb version <<<"$step"
    if ! out=$(dpkg -i "$deb" 2>&1); then
      fail "$what of hostwatch-prober (dpkg -i $deb) failed: $(head_of "$out")"
    elif [ "$(dpkg-query -W -f='${Version}' hostwatch-prober)" != "$version" ]; then
      fail "$what of hostwatch-prober did not leave version $version installed"
    elif ! grep -q '^# edited by check-packages$' /etc/hostwatch/prober.properties; then
      fail "$what of hostwatch-prober replaced the operator's /etc/hostwatch/prober.properties"
    else
      say "$what of hostwatch-prober to $version with dpkg -i: edited conffile kept"
    fi
  done
  rm -rf "$work"
else
  fail "no hostwatch-prober package among ${debs[*]}: upgrade and rollback not checked"
fi

# The keys are the operator's files, not the packages': purge leaves them, so remove what this check made.
rm -rf "$keys"
say "purging $(packages)"
# shellcheck disable=SC2046
apt-get purge -y -qq $(packages) >/tmp/check-packages-apt.log 2>&1 \
  || { cat /tmp/check-packages-apt.log >&2; fail "apt-get purge failed"; }
installed=0
for c in "${components[@]}"; do
  s=$(status_of "hostwatch-$c")
  case "$s" in "" | not-installed) ;; *) fail "dpkg still lists hostwatch-$c after purge (status $s)" ;; esac
done
leftovers=$(ls -d /opt/hostwatch /etc/hostwatch /var/lib/hostwatch /lib/systemd/system/hostwatch-* \
  /etc/systemd/system/*.wants/hostwatch-* /usr/bin/hostwatch-* /usr/share/doc/hostwatch-* 2>/dev/null || true)
[ -z "$leftovers" ] || fail "left behind after purge: $(tr '\n' ' ' <<<"$leftovers")"
! getent passwd hostwatch >/dev/null || fail "user hostwatch is left behind after purge"
! getent group hostwatch >/dev/null || fail "group hostwatch is left behind after purge"

if [ "$failures" -gt 0 ]; then
  printf 'check-packages: %d check(s) FAILED\n' "$failures" >&2
  exit 1
fi
say "all checks passed: install, version, check-config, systemd-analyze verify, upgrade, rollback, purge"
