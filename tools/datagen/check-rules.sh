#!/usr/bin/env bash
# Checks the attendances of a database the generator filled (directly or through the API) against
# the recording rules, in SQL, apart from the generator's and the server's own code:
#   tools/datagen/check-rules.sh sqlite:data/attendance.db
#   tools/datagen/check-rules.sh postgresql://user@host/db
# Prints one line of counts; exits 1 when a rule is broken, 2 when the database can't be read.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
url=${1:?usage: check-rules.sh sqlite:PATH | postgresql://...}

case "$url" in
  sqlite:*)
    file=${url#sqlite:}
    [[ -f "$file" ]] || { echo "no such database file: $file" >&2; exit 2; }
    result=$(sqlite3 -readonly -header -separator ' ' "$file" < "$here/rules/sqlite.sql") || exit 2 ;;
  postgresql://* | postgres://*)
    result=$(psql "$url" -X -q -A -F ' ' -v ON_ERROR_STOP=1 -f "$here/rules/postgresql.sql" | head -2) || exit 2 ;;
  *) echo "not a database URL: $url (sqlite:PATH or postgresql://...)" >&2; exit 2 ;;
esac

read -r -a names <<< "$(sed -n 1p <<< "$result")"
read -r -a counts <<< "$(sed -n 2p <<< "$result")"
# Figures, not rules: the events checked, the user-days left checked in (missing check-outs), and
# on SQLite the events it could not place on a day (not the generator's client ids).
figures=" events days_ending_checked_in without_a_named_day "
broken=0
for i in "${!names[@]}"; do
  printf '%s %s\n' "${names[$i]}" "${counts[$i]}"
  if [[ "$figures" != *" ${names[$i]} "* ]] && (( counts[i] != 0 )); then broken=1; fi
done
if (( broken )); then echo "BROKEN: a rule above is not 0" >&2; exit 1; fi
echo "every rule holds"
