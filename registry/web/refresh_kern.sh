#!/bin/sh
# Refresh the vendored KERN UX design system (npm @kern-ux/native): the built CSS, the
# Fira Sans fonts it names, its licence and the version. Run by hand from the project
# root: sh registry/web/refresh_kern.sh [VERSION]. Pages never load anything from a CDN.
set -eu
V="${1:-$(npm view @kern-ux/native version)}"
DEST=registry/web/static/kern
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
(cd "$T" && npm pack --silent "@kern-ux/native@$V" >/dev/null 2>&1 && tar xzf "kern-ux-native-$V.tgz")
P="$T/package"
# fonts/OFL.txt is ours (the package ships no font licence): kept across refreshes.
find "$DEST" -mindepth 1 ! -path "$DEST/fonts/OFL.txt" ! -path "$DEST/fonts" -delete 2>/dev/null || true
mkdir -p "$DEST/fonts/fira-sans"
cp "$P/dist/kern.min.css" "$P/LICENSE.md" "$DEST/"
cp "$P/dist/fonts/fira-sans.css" "$DEST/fonts/"
for f in $(grep -o 'FiraSans-[A-Za-z]*\.woff2' "$P/dist/fonts/fira-sans.css" | sort -u); do
  cp "$P/dist/fonts/fira-sans/$f" "$DEST/fonts/fira-sans/"
done
printf '@kern-ux/native %s\n%s\n' "$V" "$(npm view "@kern-ux/native@$V" dist.integrity)" > "$DEST/VERSION"
echo "KERN UX $V vendored into $DEST"
