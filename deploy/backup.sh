#!/usr/bin/env bash
# Nightly backup of xianjie: the PostgreSQL database as a custom-format dump (pg_dump -Fc) and the uploaded
# files (MEDIA_ROOT) as a tar archive, kept BACKUP_KEEP_DAYS days. Run by deploy/systemd/xianjie-backup.timer.
#
# Environment (the same file as the app, /etc/xianjie/xianjie.env, plus):
#   DATABASE_URL       postgres://… or postgresql://… with a database name (libpq reads it as it is)
#   BACKUP_DIR         where the dumps go (default /var/backups/xianjie)
#   BACKUP_KEEP_DAYS   dumps and archives older than this many days are deleted (default 14)
#   XIANJIE_VAR_DIR    the app's var dir; its media/ folder is archived when it exists
#
# The dump holds ID numbers and phones encrypted: it is unreadable without PERSONAL_DATA_KEYS, which are
# NOT in it. Back the keys up separately (docs/operations.md, "Backups"). Prints the path of the new dump.
set -euo pipefail
umask 077

: "${DATABASE_URL:?DATABASE_URL must be set (postgres://user@host:5432/name)}"
BACKUP_DIR=${BACKUP_DIR:-/var/backups/xianjie}
BACKUP_KEEP_DAYS=${BACKUP_KEEP_DAYS:-14}
case $DATABASE_URL in
  postgres://* | postgresql://*) ;;
  *) echo "backup.sh: DATABASE_URL is not a PostgreSQL URL; see docs/operations.md for SQLite" >&2; exit 2 ;;
esac
[[ $BACKUP_KEEP_DAYS =~ ^[0-9]+$ ]] || { echo "backup.sh: BACKUP_KEEP_DAYS must be a whole number" >&2; exit 2; }

mkdir -p "$BACKUP_DIR"
stamp=$(date -u +%Y%m%dT%H%M%SZ)
dump="$BACKUP_DIR/xianjie-$stamp.dump"
partial="$dump.partial"
trap 'rm -f "$partial"' EXIT

# Written under a temporary name and renamed once complete and readable: a dump that exists is whole.
pg_dump --format=custom --compress=6 --no-owner --no-privileges --file="$partial" --dbname="$DATABASE_URL"
pg_restore --list "$partial" >/dev/null
mv "$partial" "$dump"

media="${XIANJIE_VAR_DIR:-}/media"
if [[ -n ${XIANJIE_VAR_DIR:-} && -d $media ]]; then
  tar --create --gzip --file="$BACKUP_DIR/xianjie-media-$stamp.tar.gz.partial" --directory="$XIANJIE_VAR_DIR" media
  mv "$BACKUP_DIR/xianjie-media-$stamp.tar.gz.partial" "$BACKUP_DIR/xianjie-media-$stamp.tar.gz"
fi

# Retention: only after today's dump is safely in place, and never today's own files.
find "$BACKUP_DIR" -maxdepth 1 -type f \( -name 'xianjie-*.dump' -o -name 'xianjie-media-*.tar.gz' \) \
  -mtime "+$BACKUP_KEEP_DAYS" ! -name "*$stamp*" -print -delete | sed 's/^/backup.sh: removed old /' >&2

echo "$dump"
