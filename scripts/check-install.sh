#!/usr/bin/env bash
# Checks `make install` / `make uninstall` in a staging root and the systemd unit they install:
# the file layout, modes, that an existing config.yml is kept, `systemd-analyze verify`, and that
# the `systemd-analyze security` exposure stays at or below 1.5.
#
#   scripts/check-install.sh [BINARY]     (default: the debug binary of `swift build`)
set -euo pipefail
cd "$(dirname "$0")/.."

binary=${1:-$(swift build --show-bin-path)/artifactory-hooks}
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
fail() { echo "check-install: $*" >&2; exit 1; }

make --no-print-directory install DESTDIR="$stage" BINARY="$binary" >/dev/null

expected=$(
    cat <<'LIST'
etc/artifactory-hooks/config.yml 644
etc/artifactory-hooks/rules 755
usr/local/bin/artifactory-hooks 755
usr/local/lib/systemd/system/artifactory-hooks.service 644
usr/local/share/artifactory-hooks/examples/config.yml 644
usr/local/share/artifactory-hooks/examples/outbound/config.yml 644
usr/local/share/artifactory-hooks/schema/config.schema.json 644
usr/local/share/artifactory-hooks/schema/rules.schema.json 644
usr/local/share/doc/artifactory-hooks/README.md 644
usr/local/share/doc/artifactory-hooks/examples/outbound/README.md 644
LIST
)
for doc in docs/*.md; do
    expected+=$'\n'"usr/local/share/doc/artifactory-hooks/$doc 644"
done
for rule in rules/*.yml; do
    expected+=$'\n'"usr/local/share/artifactory-hooks/examples/$rule 644"
done
for rule in examples/outbound/rules/*.yml; do
    expected+=$'\n'"usr/local/share/artifactory-hooks/$rule 644"
done
actual=$(cd "$stage" && find . \( -type f -o -path ./etc/artifactory-hooks/rules \) -printf '%P %m\n' | sort)
missing=$(comm -23 <(sort <<<"$expected") <(echo "$actual"))
[ -z "$missing" ] || fail "not installed (or wrong mode):"$'\n'"$missing"$'\n'"installed:"$'\n'"$actual"

# The unit points at the installed binary and config.
unit="$stage/usr/local/lib/systemd/system/artifactory-hooks.service"
grep -q '^ExecStart=/usr/local/bin/artifactory-hooks serve --config /etc/artifactory-hooks/config.yml$' "$unit" ||
    fail "ExecStart of the installed unit is not the installed binary"
grep -q '^ExecStartPre=/usr/local/bin/artifactory-hooks doctor --quick --config /etc/artifactory-hooks/config.yml$' "$unit" ||
    fail "ExecStartPre of the installed unit is not the installed binary's doctor --quick"

# Every relative link of the installed README and docs resolves inside the installed tree.
docdir="$stage/usr/local/share/doc/artifactory-hooks"
for page in "$docdir/README.md" "$docdir"/docs/*.md; do
    for link in $(grep -oE '\]\([^)#:]+\.md' "$page" | cut -c3-); do
        [ -f "$(dirname "$page")/$link" ] || fail "${page#"$stage"/} links $link, which is not installed"
    done
done

# Every installed YAML file names an installed JSON Schema, by its installed path.
while read -r file; do
    line=$(head -1 "$file")
    schema=${line#*\$schema=}
    [ "$line" != "$schema" ] || fail "${file#"$stage"/} has no \$schema line"
    [ -f "$stage$schema" ] || fail "${file#"$stage"/} names $schema, which is not installed"
done < <(find "$stage/etc" "$stage/usr/local/share/artifactory-hooks" -name '*.yml')

# The installed binary carries no debug information: make install strips it.
if readelf -S "$stage/usr/local/bin/artifactory-hooks" | grep -q '\.debug_info'; then
    fail "the installed binary still has its debug information (make install runs \$(STRIP))"
fi

# A second install keeps an edited config.
echo "# edited" >>"$stage/etc/artifactory-hooks/config.yml"
make --no-print-directory install DESTDIR="$stage" BINARY="$binary" >/dev/null
grep -q '^# edited$' "$stage/etc/artifactory-hooks/config.yml" || fail "install overwrote an existing config.yml"

# The installed binary accepts the shipped config (a secret is all it lacks).
printf 'a-secret\n' >"$stage/etc/artifactory-hooks/secret"
sed -e "s|/etc/artifactory-hooks/rules|$stage/etc/artifactory-hooks/rules|" \
    -e "s|/var/lib/artifactory-hooks/|$stage/var/|" \
    -e "s|secret_file: secret|secret_file: $stage/etc/artifactory-hooks/secret|" \
    config/production.yml >"$stage/check.yml"
"$stage/usr/local/bin/artifactory-hooks" serve --check --config "$stage/check.yml" >/dev/null ||
    fail "the shipped config/production.yml does not load"

# systemd-analyze verify needs ExecStart's (and ExecStartPre's) binary to exist: check a copy pointing into the stage.
mkdir "$stage/verify"
sed -e "s|^ExecStart=/usr/local/bin/|ExecStart=$stage/usr/local/bin/|" \
    -e "s|^ExecStartPre=/usr/local/bin/|ExecStartPre=$stage/usr/local/bin/|" "$unit" >"$stage/verify/artifactory-hooks.service"
systemd-analyze verify "$stage/verify/artifactory-hooks.service" || fail "systemd-analyze verify failed"
systemd-analyze security --offline=yes --threshold=15 --no-pager "$stage/verify/artifactory-hooks.service" |
    tail -1 || fail "systemd-analyze security: exposure above 1.5"

# Uninstall removes what install added and keeps config and rules.
make --no-print-directory uninstall DESTDIR="$stage" >/dev/null
left=$(cd "$stage" && find usr -type f | sort)
[ -z "$left" ] || fail "left after uninstall: $left"
[ -f "$stage/etc/artifactory-hooks/config.yml" ] || fail "uninstall removed config.yml"
echo "check-install: layout, modes, kept config, verify and security OK"
