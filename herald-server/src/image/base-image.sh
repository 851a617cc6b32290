#!/usr/bin/env bash
# base-image.sh OUT.tar [JAR]: the base image of Herald's container image, made from this machine alone (no registry,
# no Docker daemon), as a `docker save` tarball that Jib reads with from.image = tar://OUT.tar.
#
# One layer: a Java 17 runtime made by jlink from the local JDK (only the modules herald.jar needs) under /opt/java,
# the shared libraries it and the bundled native code (netty epoll, RocksDB) link against, copied from this host
# (glibc, libstdc++, libgcc_s, zlib) with their copyright files, the CA certificates, /etc/passwd and /etc/group with
# the user herald (10001), /tmp, and /var/lib/herald owned by herald. Linux x86-64 (glibc) only.
set -euo pipefail
OUT=${1:?usage: base-image.sh OUT.tar [herald.jar]}
JAR=${2:-}
if [ -n "$JAR" ]; then
  [ -f "$JAR" ] || { echo "base-image.sh: no such jar: $JAR" >&2; exit 1; }
  JAR=$(readlink -f "$JAR")
fi
HERALD_UID=10001
JAVA_HOME=${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v javac || command -v jlink)")")")}
JLINK="$JAVA_HOME/bin/jlink"
[ -x "$JLINK" ] || { echo "base-image.sh: no jlink in $JAVA_HOME (a full JDK 17 is needed)" >&2; exit 1; }
case "$("$JLINK" --version)" in
  17|17.*) ;;
  *) echo "base-image.sh: $JAVA_HOME is not a JDK 17 (jlink $("$JLINK" --version)); set JAVA_HOME" >&2; exit 1 ;;
esac
[ -d "$JAVA_HOME/jmods" ] || { echo "base-image.sh: $JAVA_HOME has no jmods/ (install the JDK's jmods)" >&2; exit 1; }
[ "$(uname -m)" = x86_64 ] || { echo "base-image.sh: only x86-64 hosts are supported" >&2; exit 1; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/herald-base.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
ROOTFS="$WORK/rootfs"
mkdir -p "$ROOTFS"

# --- the Java runtime: the modules jdeps finds in herald.jar (without a jar: the list it found last), plus those only
# loaded by name at run time: elliptic-curve TLS (rediss://), the management beans the metrics read, JNDI's DNS
# provider, the zip file system
MODULES="java.base,java.desktop,java.naming,java.net.http,java.sql,jdk.jfr,jdk.management,jdk.unsupported"
if [ -n "$JAR" ]; then
  MODULES=$("$JAVA_HOME/bin/jdeps" --print-module-deps --ignore-missing-deps --multi-release 17 "$JAR")
fi
MODULES=$(printf '%s' "$MODULES,jdk.crypto.ec,jdk.management,jdk.naming.dns,jdk.zipfs" | tr , '\n' | sort -u | paste -sd,)
"$JLINK" --add-modules "$MODULES" --strip-debug --no-man-pages --no-header-files --compress=2 \
  --output "$ROOTFS/opt/java"
# Debian's JDK keeps its security files as symlinks into /etc: the runtime gets real copies
for f in "$ROOTFS"/opt/java/lib/security/* "$ROOTFS"/opt/java/conf/security/*; do
  if [ -L "$f" ]; then
    cp --remove-destination "$(readlink -f "$f")" "$f"
  fi
done
if [ ! -s "$ROOTFS/opt/java/lib/security/cacerts" ] && [ -f /etc/ssl/certs/java/cacerts ]; then
  cp --remove-destination /etc/ssl/certs/java/cacerts "$ROOTFS/opt/java/lib/security/cacerts"
fi
find "$ROOTFS/opt/java" -xtype l -delete # links to files this host lacks (e.g. legal notices): dropped

# --- the native libraries: those of the runtime (except the GUI ones, never loaded headless) and of herald.jar's
NATIVE="$WORK/native"
mkdir -p "$NATIVE"
if [ -n "$JAR" ]; then
  (cd "$NATIVE" && unzip -q -o -j "$JAR" 'librocksdbjni-linux64.so' 'META-INF/native/libnetty_transport_native_epoll_x86_64.so')
fi
objects=("$ROOTFS/opt/java/bin/java")
while IFS= read -r -d '' so; do objects+=("$so"); done < <(find "$ROOTFS/opt/java/lib" "$NATIVE" -name '*.so' \
  ! -name 'libawt_xawt.so' ! -name 'libsplashscreen.so' ! -name 'libjsound.so' ! -name 'libfontmanager.so' \
  ! -name 'liblcms.so' ! -name 'libjavajpeg.so' ! -name 'libjawt.so' ! -name 'libmlib_image.so' -print0)
libs=$(for o in "${objects[@]}"; do LD_LIBRARY_PATH="$ROOTFS/opt/java/lib:$ROOTFS/opt/java/lib/server" ldd "$o"; done \
  | awk '/=> \// {print $3} $1 ~ /^\/lib64\// {print $1}' | grep -v "^$ROOTFS" | sort -u)
missing=$(for o in "${objects[@]}"; do LD_LIBRARY_PATH="$ROOTFS/opt/java/lib:$ROOTFS/opt/java/lib/server" ldd "$o"; done | grep 'not found' | sort -u || true)
[ -z "$missing" ] || { echo "base-image.sh: unresolved libraries: $missing" >&2; exit 1; }
mkdir -p "$ROOTFS/lib/x86_64-linux-gnu" "$ROOTFS/lib64"
for lib in $libs; do
  case "$lib" in
    */ld-linux-x86-64.so.2) cp -L "$lib" "$ROOTFS/lib64/ld-linux-x86-64.so.2" ;;
    *) cp -L "$lib" "$ROOTFS/lib/x86_64-linux-gnu/$(basename "$lib")" ;;
  esac
done
ln -s ../../lib64/ld-linux-x86-64.so.2 "$ROOTFS/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2"
# their licences: the Debian copyright file of each package a copied library comes from
if command -v dpkg-query >/dev/null 2>&1; then
  for lib in $libs; do
    { dpkg-query -S "$lib" 2>/dev/null || dpkg-query -S "$(readlink -f "$lib")" 2>/dev/null || true; } | head -1 | cut -d: -f1
  done | sort -u \
    | while read -r pkg; do
        if [ -f "/usr/share/doc/$pkg/copyright" ]; then
          mkdir -p "$ROOTFS/usr/share/doc/$pkg" && cp "/usr/share/doc/$pkg/copyright" "$ROOTFS/usr/share/doc/$pkg/"
        fi
      done
fi

# --- the few files a process expects
mkdir -p "$ROOTFS/etc" "$ROOTFS/tmp" "$ROOTFS/proc" "$ROOTFS/sys" "$ROOTFS/dev" "$ROOTFS/var/lib/herald" "$ROOTFS/bin" "$ROOTFS/usr/bin"
printf 'root:x:0:0:root:/root:/sbin/nologin\nherald:x:%s:%s:herald:/var/lib/herald:/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin\n' \
  "$HERALD_UID" "$HERALD_UID" > "$ROOTFS/etc/passwd"
printf 'root:x:0:\nherald:x:%s:\nnogroup:x:65534:\n' "$HERALD_UID" > "$ROOTFS/etc/group"
printf 'passwd: files\ngroup: files\nhosts: files dns\n' > "$ROOTFS/etc/nsswitch.conf"
ln -s /opt/java/bin/java "$ROOTFS/usr/bin/java"
chmod 1777 "$ROOTFS/tmp"

# --- the layer (reproducible: fixed times, sorted, numeric owners) and the docker-save wrapping
LAYER="$WORK/layer.tar"
tar --sort=name --mtime='2000-01-01 00:00:00Z' --numeric-owner --owner=0 --group=0 --exclude=./var/lib/herald \
  -C "$ROOTFS" -cf "$LAYER" .
tar --mtime='2000-01-01 00:00:00Z' --numeric-owner --owner="$HERALD_UID" --group="$HERALD_UID" \
  -C "$ROOTFS" -rf "$LAYER" ./var/lib/herald
DIFF_ID="sha256:$(sha256sum "$LAYER" | cut -d' ' -f1)"
mkdir -p "$WORK/image"
mv "$LAYER" "$WORK/image/layer.tar"
cat > "$WORK/image/config.json" <<JSON
{"architecture":"amd64","os":"linux","created":"2000-01-01T00:00:00Z",
 "config":{"Env":["PATH=/opt/java/bin:/usr/bin:/bin","JAVA_HOME=/opt/java","LANG=C.UTF-8"],"User":"$HERALD_UID"},
 "rootfs":{"type":"layers","diff_ids":["$DIFF_ID"]},
 "history":[{"created":"2000-01-01T00:00:00Z","created_by":"herald-server/src/image/base-image.sh: jlinked Java 17 runtime and its shared libraries"}]}
JSON
printf '[{"Config":"config.json","RepoTags":["herald-base:local"],"Layers":["layer.tar"]}]\n' > "$WORK/image/manifest.json"
mkdir -p "$(dirname "$OUT")"
tar --sort=name --mtime='2000-01-01 00:00:00Z' --numeric-owner --owner=0 --group=0 -C "$WORK/image" -cf "$OUT.tmp" \
  manifest.json config.json layer.tar # named, not ".": Jib refuses a "./" entry
mv "$OUT.tmp" "$OUT"
echo "base-image.sh: $OUT ($(du -h "$OUT" | cut -f1); modules: $MODULES)"
