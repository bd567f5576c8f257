#!/usr/bin/env bash
# Restore a dump into a new, empty database and compare the row count of every table with the source.
#
#   deploy/restore-check.sh [--decrypt] [DUMP]
#
# Without DUMP it first takes a fresh dump of DATABASE_URL (so source and dump hold the same rows on a quiet
# database; on a busy one the tables written meanwhile, e.g. sessions or django_q_*, may differ). The
# scratch database (xianjie_restore_check_<time>_<pid>, from template0) is created on the same server and
# dropped at the end whatever happens; the role in DATABASE_URL needs CREATEDB.
# --decrypt also reads every encrypted ID number and phone of the restored database through the app
# (manage.py with the settings and PERSONAL_DATA_KEYS of the environment): proof the keys open the dump.
# XIANJIE_ENV_FILE=/etc/xianjie/xianjie.env loads the app's environment file first (as deploy/manage.sh does).
# Exit status 0 when every table matches, 1 when one differs, 2 on a usage error.
set -euo pipefail
umask 077

if [[ -n ${XIANJIE_ENV_FILE:-} ]]; then
  set -a
  # shellcheck source=/dev/null
  . "$XIANJIE_ENV_FILE"
  set +a
fi
decrypt=0
if [[ ${1:-} == --decrypt ]]; then decrypt=1; shift; fi
: "${DATABASE_URL:?DATABASE_URL must be set (postgres://user@host:5432/name)}"
if [[ ! $DATABASE_URL =~ ^postgres(ql)?://[^/]*/[^/?]+ ]]; then
  echo "restore-check.sh: DATABASE_URL must be postgres://…/NAME" >&2
  exit 2
fi
here=$(cd "$(dirname "$0")" && pwd)
project=$(dirname "$here")
work=$(mktemp -d)
scratch="xianjie_restore_check_$(date -u +%Y%m%d%H%M%S)_$$"

# The URL of another database on the same server: the same URL with its path replaced.
with_database() {
  local url=$1 query=""
  if [[ $url == *\?* ]]; then query="?${url#*\?}"; url=${url%%\?*}; fi
  printf '%s/%s%s' "${url%/*}" "$2" "$query"
}
scratch_url=$(with_database "$DATABASE_URL" "$scratch")

cleanup() {
  dropdb --if-exists --maintenance-db="$DATABASE_URL" "$scratch" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

dump=${1:-}
if [[ -z $dump ]]; then
  dump="$work/fresh.dump"
  pg_dump --format=custom --no-owner --no-privileges --file="$dump" --dbname="$DATABASE_URL"
fi
[[ -r $dump ]] || { echo "restore-check.sh: cannot read $dump" >&2; exit 2; }

# Exact counts (not the planner's estimates) of every ordinary table in the public schema, "table|count".
count_rows() {
  psql --no-psqlrc --quiet --tuples-only --no-align --set=ON_ERROR_STOP=1 --dbname="$1" --command="
    SELECT table_name || '|' || (xpath('/row/c/text()',
             query_to_xml(format('SELECT count(*) AS c FROM %I.%I', table_schema, table_name), false, true, '')))[1]::text
      FROM information_schema.tables
     WHERE table_schema = 'public' AND table_type = 'BASE TABLE'
     ORDER BY table_name"
}

createdb --maintenance-db="$DATABASE_URL" --template=template0 --encoding=UTF8 "$scratch"
pg_restore --no-owner --no-privileges --exit-on-error --single-transaction --dbname="$scratch_url" "$dump"

count_rows "$DATABASE_URL" >"$work/source"
count_rows "$scratch_url" >"$work/restored"

tables=$(wc -l <"$work/restored")
sum() { awk -F'|' '{ s += $2 } END { print s + 0 }' "$1"; }
echo "dump: $dump ($(du -k "$dump" | cut -f1) KiB)"
echo "restored into the empty database $scratch"
echo "tables: $tables, rows: $(sum "$work/source") in the source, $(sum "$work/restored") restored"
export LC_ALL=C  # join needs both lists sorted the way it compares
sort -t'|' -k1,1 -o "$work/source" "$work/source"
sort -t'|' -k1,1 -o "$work/restored" "$work/restored"
join -t'|' -a1 -a2 -e missing -o 0,1.2,2.2 "$work/source" "$work/restored" >"$work/table"
mismatches=$(awk -F'|' '$2 != $3' "$work/table" | wc -l)
printf '  %-44s %10s %10s\n' table source restored
awk -F'|' '$2 != 0 || $3 != 0 { printf "  %-44s %10s %10s%s\n", $1, $2, $3, ($2 == $3 ? "" : "   MISMATCH") }' "$work/table"
echo "  ($(awk -F'|' '$2 == 0 && $3 == 0' "$work/table" | wc -l) tables empty on both sides not listed)"
echo "mismatches: $mismatches"

if ((decrypt)); then
  DATABASE_URL=$scratch_url "${XIANJIE_PYTHON:-$project/.venv/bin/python}" "$project/manage.py" shell --no-imports -c "
import sys
from cryptography.fernet import InvalidToken
from mechanism.management.commands.rotate_personal_data_keys import encrypted_models
for model, names in encrypted_models():
    try:
        values = [v for row in model._base_manager.values_list(*names) for v in row if v]
    except InvalidToken:
        sys.exit('personal data: PERSONAL_DATA_KEYS do NOT open this dump; find the keys in force when it was made')
    rows = model._base_manager.count()
    print(f'personal data: {len(values)} encrypted values of {rows} {model._meta.label} rows decrypted with PERSONAL_DATA_KEYS')
"
fi
((mismatches == 0))
