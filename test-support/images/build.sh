#!/usr/bin/env bash
# Builds the container images the tests use under SLUICE_TEST_STACK=containers, from real software
# that reachable registries serve (no image registry is needed):
#   sluice-test/debian:bookworm           debootstrap --variant=minbase from Debian's mirror, docker import
#   sluice-test/jre:<java>                 + a jlinked runtime of this machine's JDK (JAVA_HOME)
#   sluice-test/postgres:15                + Debian's postgresql package
#   sluice-test/kafka:4.3.1                + the Kafka 4.3.1 jars from Maven Central (kafka.Kafka, KRaft)
#   sluice-test/apicurio-registry:3.3.3    + Apicurio Registry's distribution from Maven Central
# The names are our own, never the official ones. Each image carries a label with a hash of its
# inputs; an image whose hash matches is kept, so a second run takes seconds. Work files are cached
# in $SLUICE_IMAGES_CACHE (default ~/.cache/sluice/images).
# Usage: test-support/images/build.sh            prints the SLUICE_TEST_*_IMAGE settings at the end
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
cache="${SLUICE_IMAGES_CACHE:-$HOME/.cache/sluice/images}"
mirror="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
kafka_version=4.3.1
apicurio_version=3.3.3
mkdir -p "$cache"

die() { echo "images: $*" >&2; exit 1; }
say() { echo "images: $*" >&2; }
command -v docker >/dev/null || die "docker is not installed (Debian: apt-get install docker.io)"
docker info >/dev/null 2>&1 || die "no Docker daemon answers (start it: dockerd &)"
[[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/jlink" ]] || die "JAVA_HOME must be a JDK 21+ with jlink"

# The hash of an image's inputs: its directory's files plus the given strings.
inputs_hash() { local dir="$1"; shift; { (cd "$dir" && find . -type f -print0 | sort -z | xargs -0 sha256sum); printf '%s\n' "$@"; } | sha256sum | cut -c1-16; }
# True when the image exists with that hash.
current() { [[ "$(docker image inspect -f '{{index .Config.Labels "io.sluice.inputs"}}' "$1" 2>/dev/null)" == "$2" ]]; }
build() { # tag dir hash [docker build args...]
  local tag="$1" dir="$2" hash="$3"; shift 3
  if current "$tag" "$hash"; then say "$tag is current"; return; fi
  say "building $tag"
  local log="$cache/build-${tag//[\/:]/-}.log"
  docker build --label "io.sluice.inputs=$hash" -t "$tag" "$@" "$dir" >"$log" 2>&1 || die "building $tag failed, see $log"
}

# --- Debian base ----------------------------------------------------------------------------------
base=sluice-test/debian:bookworm
base_hash="$(printf 'minbase bookworm %s' "$mirror" | sha256sum | cut -c1-16)"
if current "$base" "$base_hash"; then say "$base is current"; else
  command -v debootstrap >/dev/null || die "debootstrap is not installed (apt-get install debootstrap)"
  tarball="$cache/bookworm-minbase.tar"
  if [[ ! -s "$tarball" ]]; then
    say "debootstrap --variant=minbase bookworm from $mirror"
    root="$(mktemp -d "$cache/rootfs.XXXXXX")"
    debootstrap --variant=minbase bookworm "$root" "$mirror" >"$cache/debootstrap.log" 2>&1 ||
      die "debootstrap failed, see $cache/debootstrap.log"
    rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/*
    tar -C "$root" -cf "$tarball.part" . && mv "$tarball.part" "$tarball"
    rm -rf "$root"
  fi
  say "importing $base"
  docker import -c "LABEL io.sluice.inputs=$base_hash" -c 'CMD ["/bin/bash"]' "$tarball" "$base" >/dev/null
fi

# --- JRE: this machine's JDK, jlinked (no jmods needed from JDK 24 on) -------------------------
java_version="$("$JAVA_HOME/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.version = //p')"
jre=sluice-test/jre:"${java_version%%.*}"
jre_hash="$(inputs_hash "$here/jre" "$base_hash" "$java_version")"
if ! current "$jre" "$jre_hash"; then
  ctx="$cache/jre-context"; rm -rf "$ctx"; mkdir -p "$ctx"; cp "$here/jre/Dockerfile" "$ctx/"
  # Everything but the development tools (compiler, debugger, jshell, jlink itself).
  modules="$("$JAVA_HOME/bin/java" --list-modules | sed 's/@.*//' | grep -v -E '^jdk\.(hotspot\.agent|jcmd|jconsole|jdeps|jdi|jdwp\.agent|jlink|jpackage|jshell|javadoc|compiler|editpad|jartool|jstatd|internal\.le|internal\.opt|internal\.ed)$' | paste -sd,)"
  say "jlink $java_version"
  "$JAVA_HOME/bin/jlink" --add-modules "$modules" --strip-debug --no-man-pages --no-header-files --output "$ctx/jre" 2>/dev/null
  build "$jre" "$ctx" "$jre_hash" --build-arg "BASE=$base"
else say "$jre is current"; fi

# --- PostgreSQL from Debian's package ------------------------------------------------------------
postgres=sluice-test/postgres:15
build "$postgres" "$here/postgres" "$(inputs_hash "$here/postgres" "$base_hash")" --build-arg "BASE=$base"

# --- Kafka from Maven Central's jars -------------------------------------------------------------
kafka=sluice-test/kafka:$kafka_version
kafka_hash="$(inputs_hash "$here/kafka" "$jre_hash" "$kafka_version")"
if ! current "$kafka" "$kafka_hash"; then
  ctx="$cache/kafka-context"; rm -rf "$ctx"; mkdir -p "$ctx/libs"; cp "$here/kafka/"* "$ctx/"
  say "resolving Kafka $kafka_version's jars"
  "$repo/mvnw" -B -q -f "$here/kafka/pom.xml" dependency:copy-dependencies -DincludeScope=runtime \
      -Dkafka.version="$kafka_version" -DoutputDirectory="$ctx/libs"
  build "$kafka" "$ctx" "$kafka_hash" --build-arg "BASE=$jre"
else say "$kafka is current"; fi

# --- Apicurio Registry from Maven Central's distribution -----------------------------------------
registry=sluice-test/apicurio-registry:$apicurio_version
registry_hash="$(inputs_hash "$here/registry" "$jre_hash" "$apicurio_version")"
if ! current "$registry" "$registry_hash"; then
  archive="$HOME/.m2/repository/io/apicurio/apicurio-registry-app/$apicurio_version/apicurio-registry-app-$apicurio_version-all.tar.gz"
  # The embedded stack keeps the same archive in its own cache when it downloaded it itself.
  [[ -s "$archive" ]] || archive="${XDG_CACHE_HOME:-$HOME/.cache}/sluice/apicurio-registry-app-$apicurio_version-all.tar.gz"
  if [[ ! -s "$archive" ]]; then
    archive="$HOME/.m2/repository/io/apicurio/apicurio-registry-app/$apicurio_version/apicurio-registry-app-$apicurio_version-all.tar.gz"
    say "downloading Apicurio Registry $apicurio_version from Maven Central"
    "$repo/mvnw" -B -q dependency:get -Dartifact="io.apicurio:apicurio-registry-app:$apicurio_version:tar.gz:all" -Dtransitive=false
  fi
  ctx="$cache/registry-context"; rm -rf "$ctx"; mkdir -p "$ctx/app"; cp "$here/registry/"* "$ctx/"
  tar -xzf "$archive" -C "$ctx/app"
  build "$registry" "$ctx" "$registry_hash" --build-arg "BASE=$jre"
else say "$registry is current"; fi

cat <<SETTINGS
SLUICE_TEST_KAFKA_IMAGE=$kafka
SLUICE_TEST_REGISTRY_IMAGE=$registry
SLUICE_TEST_POSTGRES_IMAGE=$postgres
SLUICE_TEST_JRE_IMAGE=$jre
SETTINGS
