#!/usr/bin/env bash
# Installs PostgreSQL 15 and pgvector (>= 0.8) for the PostgreSQL backend and its tests. Run as root.
# Idempotent: when PostgreSQL 15 and a good pgvector are already installed it returns at once.
#
# pgvector is not packaged for Debian 12 (bookworm), so it is built from the source package of the
# next Debian release (trixie). The trixie source list lives in a private temp dir with its own apt
# lists, so no binary package ever comes from trixie and the system's apt state is left as it was.
set -euo pipefail

PG_MAJOR=15
PG_CONFIG=/usr/lib/postgresql/$PG_MAJOR/bin/pg_config
VECTOR_CONTROL=/usr/share/postgresql/$PG_MAJOR/extension/vector.control
MIN_VECTOR_VERSION=0.8.0
SOURCE_SUITE=trixie

log() { echo "postgres-install: $*" >&2; }

if [ "$(id -u)" -ne 0 ]; then
  log "must run as root (it installs Debian packages)"
  exit 1
fi

# Version of the installed pgvector, read from its control file ("default_version = '0.8.0'").
installed_vector_version() {
  [ -f "$VECTOR_CONTROL" ] || return 0
  sed -n "s/^default_version *= *'\([^']*\)'.*/\1/p" "$VECTOR_CONTROL"
}

version_at_least() { # $1 >= $2
  [ "$(printf '%s\n%s\n' "$2" "$1" | sort -V | head -n1)" = "$2" ]
}

have_postgres() { [ -x /usr/lib/postgresql/$PG_MAJOR/bin/postgres ] && [ -x /usr/lib/postgresql/$PG_MAJOR/bin/initdb ]; }

have_good_vector() {
  local v
  v="$(installed_vector_version)"
  [ -n "$v" ] && version_at_least "$v" "$MIN_VECTOR_VERSION" && [ -f "/usr/lib/postgresql/$PG_MAJOR/lib/vector.so" ]
}

if have_postgres && have_good_vector; then
  log "PostgreSQL $PG_MAJOR and pgvector $(installed_vector_version) already installed"
  exit 0
fi

export DEBIAN_FRONTEND=noninteractive

# The apt lists may be empty on a fresh machine: update once before the first install.
apt_updated=0
apt_install() {
  local missing=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ $apt_updated -eq 0 ]; then
    apt-get update
    apt_updated=1
  fi
  log "installing ${missing[*]}"
  apt-get install -y --no-install-recommends "${missing[@]}"
}

apt_install postgresql-$PG_MAJOR postgresql-contrib postgresql-server-dev-$PG_MAJOR build-essential dpkg-dev ca-certificates

if have_good_vector; then
  log "pgvector $(installed_vector_version) already installed"
  exit 0
fi

work="$(mktemp -d /tmp/likeness-pgvector.XXXXXX)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/lists/partial" "$work/build"

# Same mirror and keyring as the machine's own Debian sources, deb-src of trixie only.
mirror=http://deb.debian.org/debian
if [ -f /etc/apt/sources.list.d/debian.sources ]; then
  found="$(awk '/^URIs:/ && $2 ~ /\/debian\/?$/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources)"
  [ -n "$found" ] && mirror="$found"
fi
cat >"$work/sources.list" <<EOF
deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $mirror $SOURCE_SUITE main
EOF

apt_private=(
  -o "Dir::Etc::SourceList=$work/sources.list"
  -o "Dir::Etc::SourceParts=/dev/null"
  -o "Dir::State::Lists=$work/lists"
  -o "APT::Sandbox::User=root"
)

log "fetching the pgvector source package from $SOURCE_SUITE"
apt-get "${apt_private[@]}" update
(cd "$work/build" && apt-get "${apt_private[@]}" source --only-source pgvector)

src="$(find "$work/build" -mindepth 1 -maxdepth 1 -type d -name 'pgvector-*' | head -n1)"
[ -n "$src" ] || { log "apt-get source produced no pgvector directory"; exit 1; }
src_version="$(sed -n "s/^default_version *= *'\([^']*\)'.*/\1/p" "$src/vector.control")"
if ! version_at_least "$src_version" "$MIN_VECTOR_VERSION"; then
  log "$SOURCE_SUITE has pgvector $src_version, older than $MIN_VECTOR_VERSION"
  exit 1
fi

log "building pgvector $src_version against PostgreSQL $PG_MAJOR"
# OPTFLAGS='' leaves out -march=native, so the library runs on any x86-64 machine this disk moves to.
make -C "$src" -j"$(nproc)" PG_CONFIG="$PG_CONFIG" OPTFLAGS=''
make -C "$src" install PG_CONFIG="$PG_CONFIG"

if ! have_good_vector; then
  log "pgvector install did not produce $VECTOR_CONTROL with version >= $MIN_VECTOR_VERSION"
  exit 1
fi
log "pgvector $(installed_vector_version) installed"
