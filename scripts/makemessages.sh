#!/usr/bin/env bash
# Extract the English msgids of one part of the project into its own German catalogue:
#   scripts/makemessages.sh project|strategy|finance|schools_wg|participation|reports
# Each part owns its .po file, so parts can be translated independently. Needs GNU gettext
# (a developer tool); the set-up only compiles the catalogues, with Babel.
set -euo pipefail
part=${1:?usage: scripts/makemessages.sh PART}
root=$(cd "$(dirname "$0")/.." && pwd)
case "$part" in
  project) src=plauen_digital; out=locale; templates="base.html dashboard.html accounts errors includes forms changes";;
  reports) src=plauen_digital/reports; out=plauen_digital/reports/locale; templates=reports;;
  *) src=$part; out=$part/locale; templates=$part;;
esac
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$root/$out" "$tmp/templates"
ln -s "$root/$src" "$tmp/src"
ln -s "$root/$out" "$tmp/locale"
for t in $templates; do [ -e "$root/templates/$t" ] && ln -s "$root/templates/$t" "$tmp/templates/$t"; done
ignore=()
[ "$part" = project ] && ignore=(--ignore "src/reports/*")
cd "$tmp"
DJANGO_SETTINGS_MODULE=plauen_digital.settings PYTHONPATH="$root" \
  "$root/.venv/bin/django-admin" makemessages -l de --symlinks --no-location --no-wrap \
  --ignore "src/migrations/*" --ignore "*/migrations/*" "${ignore[@]}"
echo "Updated $out/de/LC_MESSAGES/django.po"
