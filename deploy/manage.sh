#!/usr/bin/env bash
# manage.py with the production environment: sudo -u xianjie /srv/xianjie/deploy/manage.sh migrate
# Reads XIANJIE_ENV_FILE (default /etc/xianjie/xianjie.env), the file the systemd units read.
set -euo pipefail
env_file=${XIANJIE_ENV_FILE:-/etc/xianjie/xianjie.env}
project=$(cd "$(dirname "$0")/.." && pwd)
[[ -r $env_file ]] || { echo "manage.sh: cannot read $env_file (run as the xianjie user)" >&2; exit 2; }
set -a
# shellcheck source=/dev/null
. "$env_file"
set +a
cd "$project"
exec "$project/.venv/bin/python" manage.py "$@"
