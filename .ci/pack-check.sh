#!/usr/bin/env bash
# The packed tarball, installed into an empty project outside the repository (nothing else of the repo), must run
# `shadowscan --version` and scan an export (a copy of fixtures/demo). Called by .ci/run on every run; exit 0 = pass.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d "${TMPDIR:-/tmp}/shadowscan-pack.XXXXXX")"
trap 'rm -rf "$work"' EXIT
fail() { echo "pack-check: FAIL: $*" >&2; exit 1; }

cd "$root"
version="$(node -p 'require("./package.json").version')"
# npm pack runs the prepack script (a clean build), so a fresh clone packs a working dist/.
tarball="$(npm pack --silent --pack-destination "$work" | tail -n 1)"
[ -s "$work/$tarball" ] || fail "npm pack produced no tarball"

# What ships: the built CLI, detectors, schemas, policies, LICENSE; never tests, TypeScript sources, maps, demo or bench.
tar -tzf "$work/$tarball" | sed 's#^package/##' | sort >"$work/files.txt"
for must in LICENSE README.md package.json dist/src/cli/main.js dist/reports/html.js reports/schema/report.schema.json \
            policies/shadowscan-readonly.json detectors/README.md; do
  grep -qx "$must" "$work/files.txt" || fail "tarball lacks $must"
done
for dir in model signals reference; do   # top-level data folders the package reads at run time, once they exist
  if [ -d "$root/$dir" ] && [ -n "$(git -C "$root" ls-files "$dir" | head -n 1)" ]; then
    grep -q "^$dir/" "$work/files.txt" || fail "tarball lacks $dir/ (the package reads it at run time)"
  fi
done
if grep -E '^(test/|fixtures/|src/|tools/|dist/tools/|dist/src/(bench|demo|realworld)/|dist/test/)|\.map$|(^|/)[^/]*\.tsx?$' "$work/files.txt" \
   | grep -v '\.d\.ts$' >"$work/unwanted.txt"; then
  fail "tarball ships files users do not need: $(head -n 5 "$work/unwanted.txt" | tr '\n' ' ')"
fi
echo "pack-check: $tarball, $(wc -l <"$work/files.txt") files, $(du -k "$work/$tarball" | cut -f1) KiB" >&2

# An empty project elsewhere installs the tarball (dependencies from the registry, as a user gets them).
mkdir "$work/app"
cd "$work/app"
npm init -y >/dev/null
npm install --no-fund --no-audit --loglevel=error "$work/$tarball" >/dev/null || fail "npm install of the tarball failed"
bin="$work/app/node_modules/.bin/shadowscan"
[ -x "$bin" ] || fail "node_modules/.bin/shadowscan missing after install"

got="$("$bin" --version)"
[ "$got" = "$version" ] || fail "shadowscan --version printed '$got', expected '$version'"

# Scan a copy of the demo export (the package has no fixtures of its own).
cp -R "$root/fixtures/demo" "$work/export"
set +e
"$bin" scan --from "$work/export" --as-of 2026-11-20T00:00:00Z --db "$work/app/scan.duckdb" \
  --format json --output "$work/app/report.json" -q 2>"$work/scan.err"
rc=$?
set -e
[ $rc -eq 0 ] || fail "scan exited $rc: $(head -c 2000 "$work/scan.err")"
node -e '
const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
if (!(r.inventory.length > 0 && r.findings.length > 0)) { console.error("empty report"); process.exit(1); }
if (r.run.coverage_gaps.length > 0) { console.error("coverage gaps: " + JSON.stringify(r.run.coverage_gaps).slice(0, 500)); process.exit(1); }
console.error(`pack-check: installed tarball scanned the demo copy: ${r.inventory.length} identities, ${r.findings.length} findings`);
' "$work/app/report.json" || fail "report from the installed package is not usable"
# And a stored run renders as HTML from the installed package (reports and their assets ship too).
"$bin" report --db "$work/app/scan.duckdb" --format html --output "$work/app/report.html" -q || fail "report --format html failed"
grep -q '<html' "$work/app/report.html" || fail "HTML report is empty"
echo "pack-check: ok" >&2
