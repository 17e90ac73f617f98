#!/usr/bin/env bash
# Copy the KRDS design system (npm package krds-uiux, pinned in package.json)
# into service/static/vendor/krds/, where templates/base.html loads it, and
# the full PretendardGOV OTF fonts the PDFs use (npm package pretendard-gov)
# into service/static/vendor/fonts/: only Regular and Bold and the licence,
# not the 200 MB of other weights and formats the package holds.
#
# The whole resources/ tree is copied unchanged: output.css imports the tokens
# and points at its icons and fonts with relative url()s, which only resolve
# when the tree keeps its shape (see shared/KRDS.md). KRDS's PretendardGOV
# subset fonts live in resources/fonts/ and come along; app.css declares them.
#
# Checks that axe-core (the browser tests read it from node_modules/) is the
# pinned version.
#
# Run after `npm ci`. Safe to run again: the target is rebuilt from scratch
# in a temporary folder and swapped in, so a failed copy leaves the old one.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
pkg="$root/node_modules/krds-uiux"
vendor="$root/service/static/vendor"
dest="$vendor/krds"

fail() {
    echo "vendor_assets: $*" >&2
    exit 1
}

[ -f "$root/package.json" ] || fail "no package.json in $root"
pinned="$(sed -n 's/.*"krds-uiux": *"\([^"]*\)".*/\1/p' "$root/package.json" | head -n1)"
[ -n "$pinned" ] || fail "package.json does not list krds-uiux"

if [ ! -f "$pkg/package.json" ]; then
    fail "npm packages are missing ($pkg not found).
Install them first:   cd $root && npm ci"
fi
installed="$(sed -n 's/^ *"version": *"\([^"]*\)".*/\1/p' "$pkg/package.json" | head -n1)"
if [ "$installed" != "$pinned" ]; then
    fail "node_modules has krds-uiux $installed but package.json pins $pinned.
Reinstall:   cd $root && npm ci"
fi

# The files the pages load directly; a partial or odd install must not pass.
required=(
    resources/css/component/output.css
    resources/css/token/krds_tokens.css
    resources/js/component/ui-script.js
    resources/img/component/icon/ico_flag.svg
    resources/fonts/PretendardGOV-Regular.subset.woff2
    resources/fonts/PretendardGOV-Medium.subset.woff2
    resources/fonts/PretendardGOV-Bold.subset.woff2
    resources/fonts/PretendardGOV-Regular.subset.woff
    resources/fonts/PretendardGOV-Medium.subset.woff
    resources/fonts/PretendardGOV-Bold.subset.woff
)
for file in "${required[@]}"; do
    [ -f "$pkg/$file" ] || fail "krds-uiux $installed lacks $file; reinstall with: cd $root && npm ci"
done

mkdir -p "$vendor"
staging="$(mktemp -d "$vendor/.krds.XXXXXX")"
trap 'rm -rf "$staging"' EXIT

cp -R "$pkg/resources/." "$staging/"
# Provenance and licences travel with the files (the font licence is OFL-1.1,
# which asks that the licence accompany the fonts; no licence file ships in
# the npm package, so NOTICE.md carries it).
cp "$pkg/package.json" "$staging/krds-uiux.package.json"
cp "$pkg/README.md" "$staging/krds-uiux.README.md"
if [ -f "$root/NOTICE.md" ]; then
    cp "$root/NOTICE.md" "$staging/NOTICE.md"
fi
echo "krds-uiux $installed" >"$staging/VERSION"
chmod -R u+rwX,go+rX "$staging"

rm -rf "$dest"
mv "$staging" "$dest"
trap - EXIT

echo "vendor_assets: krds-uiux $installed -> ${dest#"$root"/}"

# --- PretendardGOV, full OTF, for the PDFs (docs/design.md section 5) ------------
font_pkg="$root/node_modules/pretendard-gov"
font_dest="$vendor/fonts"
font_pinned="$(sed -n 's/.*"pretendard-gov": *"\([^"]*\)".*/\1/p' "$root/package.json" | head -n1)"
[ -n "$font_pinned" ] || fail "package.json does not list pretendard-gov"
[ -f "$font_pkg/package.json" ] || fail "pretendard-gov is missing; install it first: cd $root && npm ci"
font_installed="$(sed -n 's/^ *"version": *"\([^"]*\)".*/\1/p' "$font_pkg/package.json" | head -n1)"
if [ "$font_installed" != "$font_pinned" ]; then
    fail "node_modules has pretendard-gov $font_installed but package.json pins $font_pinned.
Reinstall:   cd $root && npm ci"
fi
font_files=(
    dist/public/static/PretendardGOV-Regular.otf
    dist/public/static/PretendardGOV-Bold.otf
    dist/LICENSE.txt
)
for file in "${font_files[@]}"; do
    [ -f "$font_pkg/$file" ] || fail "pretendard-gov $font_installed lacks $file; reinstall with: cd $root && npm ci"
done
font_staging="$(mktemp -d "$vendor/.fonts.XXXXXX")"
trap 'rm -rf "$font_staging"' EXIT
for file in "${font_files[@]}"; do
    cp "$font_pkg/$file" "$font_staging/"
done
echo "pretendard-gov $font_installed" >"$font_staging/VERSION"
chmod -R u+rwX,go+rX "$font_staging"
rm -rf "$font_dest"
mv "$font_staging" "$font_dest"
trap - EXIT

echo "vendor_assets: pretendard-gov $font_installed -> ${font_dest#"$root"/}"

# --- axe-core, for the browser tests' accessibility check (read from node_modules) --
axe_pinned="$(sed -n 's/.*"axe-core": *"\([^"]*\)".*/\1/p' "$root/package.json" | head -n1)"
[ -n "$axe_pinned" ] || fail "package.json does not list axe-core"
axe_pkg="$root/node_modules/axe-core"
[ -f "$axe_pkg/axe.min.js" ] || fail "axe-core is missing; install it first: cd $root && npm ci"
axe_installed="$(sed -n 's/^ *"version": *"\([^"]*\)".*/\1/p' "$axe_pkg/package.json" | head -n1)"
if [ "$axe_installed" != "$axe_pinned" ]; then
    fail "node_modules has axe-core $axe_installed but package.json pins $axe_pinned.
Reinstall:   cd $root && npm ci"
fi
echo "vendor_assets: axe-core $axe_installed in node_modules (browser tests)"
