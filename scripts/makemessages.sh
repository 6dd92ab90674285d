#!/usr/bin/env bash
# Extract the English msgids of one part of the project into its own German catalogue:
#   scripts/makemessages.sh project|strategy|finance|schools_wg|participation|reports
# Each part owns its .po file, so parts can be translated independently. Needs GNU gettext
# (a developer tool); the set-up only compiles the catalogues, with Babel.
set -euo pipefail
part=${1:?usage: scripts/makemessages.sh PART}
root=$(cd "$(dirname "$0")/.." && pwd)
case "$part" in
  # The project's own catalogue: the shared mechanisms (core/), accounts/ and the top package
  # (plauen_digital/ without reports/, which has a catalogue of its own), with their templates.
  project) srcs="core accounts plauen_digital"; out=locale
    templates="base.html dashboard.html accounts errors includes forms changes django";;
  reports) srcs=plauen_digital/reports; out=plauen_digital/reports/locale; templates=reports;;
  *) [ -f "$root/$part/apps.py" ] || { echo "unknown part: $part" >&2; exit 2; }
    srcs=$part; out=$part/locale; templates=$part;;
esac
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$root/$out" "$tmp/templates"
# One source folder: a symlink to the part's code, or a folder of symlinks for several packages.
if [ "$srcs" = "${srcs%% *}" ]; then
  ln -s "$root/$srcs" "$tmp/src"
else
  mkdir "$tmp/src"
  for s in $srcs; do ln -s "$root/$s" "$tmp/src/$s"; done
fi
ln -s "$root/$out" "$tmp/locale"
for t in $templates; do [ -e "$root/templates/$t" ] && ln -s "$root/templates/$t" "$tmp/templates/$t"; done
ignore=()
[ "$part" = project ] && ignore=(--ignore "src/plauen_digital/reports/*")
cd "$tmp"
DJANGO_SETTINGS_MODULE=plauen_digital.settings PYTHONPATH="$root" \
  "$root/.venv/bin/django-admin" makemessages -l de --symlinks --no-location --no-wrap \
  --ignore "src/migrations/*" --ignore "*/migrations/*" "${ignore[@]}"
echo "Updated $out/de/LC_MESSAGES/django.po"
