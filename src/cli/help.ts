import type { Command } from 'commander';
import { ExitCode } from '../kernel/errors.js';

/** What each exit code means, as `--help` lists it (the codes come from ExitCode, one definition). */
export function exitCodesHelp(): string {
  return [
    'Exit codes:',
    `  ${ExitCode.ok}  success: nothing at or above --fail-on`,
    `  ${ExitCode.policy}  policy violated: a finding at or above --fail-on (registry check: a violation)`,
    `  ${ExitCode.usage}  usage, configuration or input error (bad flag, unreadable file, nothing usable found; a requested source that yielded nothing, unless --allow-empty: the report is still written)`,
    `  ${ExitCode.delivery}  the scan and report succeeded but a --sink could not deliver (1 wins when both apply)`,
    `  ${ExitCode.internal}  internal error (a bug): rerun with SHADOWSCAN_DEBUG=1 for the stack trace`,
  ].join('\n');
}

/** Examples per command, shown after its options (the README has the long form). */
const EXAMPLES: Record<string, string[]> = {
  '': [
    'shadowscan scan --from ./export                                  # table on a terminal, JSON when piped',
    'shadowscan scan --from ./export --format json,sarif,html --output-dir out/',
    'shadowscan scan --from ./export --fail-on new:high               # CI gate',
    'shadowscan report --format html --output nhi.html               # re-render the latest stored run',
    'shadowscan explain arn:aws:iam::123456789012:role/report-agent',
  ],
  scan: [
    'shadowscan scan --from ./export',
    'shadowscan scan --from ./export --format json,sarif,html --output-dir out/',
    'shadowscan scan --from ./export --fail-on new:high --format sarif --output shadowscan.sarif',
    "shadowscan scan --from ./export --detectors-only 'aws/*' --exclude-detectors aws/stale --min-severity medium",
    'shadowscan scan --aws-profile prod --cloudtrail-api --fail-on high   # collect live, then scan',
    'shadowscan scan --from ./export --log-level info --log-format json   # JSON log lines on stderr (CI)',
  ],
  report: [
    'shadowscan report --format html --output nhi.html',
    'shadowscan report --format md-summary --output comment.md      # fits a GitHub PR comment',
    'shadowscan report --format json,sarif --output-dir out/ --run run-20261120T060000-ab12cd',
  ],
  diff: ['shadowscan diff --list', 'shadowscan diff --format json'],
  collect: [
    'shadowscan collect --out ./export --cloudtrail-api',
    'GITHUB_TOKEN=… shadowscan collect --out ./export --github-org example',
  ],
  explain: ['shadowscan explain AKIAEXAMPLEKEYID0001', 'shadowscan explain github:example/design-bots'],
  daemon: ['shadowscan daemon --from /srv/export --every 15m --sink jsonl:/var/log/shadowscan/events.jsonl'],
  ui: ['shadowscan ui', 'shadowscan ui --db scans.duckdb --run run-20261120T060000-ab12cd'],
};

/** Add examples and the exit codes to the help of the program and of each of its commands. */
export function addHelpFooters(program: Command): void {
  const footer = (name: string): string => {
    const ex = EXAMPLES[name];
    return `${ex ? `\nExamples:\n${ex.map((e) => `  $ ${e}`).join('\n')}\n` : ''}\n${exitCodesHelp()}\n`;
  };
  program.addHelpText('after', footer(''));
  for (const c of program.commands) c.addHelpText('after', footer(c.name()));
}
