#!/usr/bin/env node
import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { Command, CommanderError } from 'commander';
import { ExitCode, UsageError, errorMessage } from '../core/errors.js';
import { redact } from '../core/redact.js';
import { lockIdentity } from '../store/lock.js';
import * as collect from './commands/collect.js';
import * as daemon from './commands/daemon.js';
import * as detectors from './commands/detectors.js';
import * as diff from './commands/diff.js';
import * as report from './commands/report.js';
import * as scan from './commands/scan.js';
import { TOOL_VERSION } from '../core/version.js';
import * as ui from './commands/ui.js';

/** Every command module: each exports `register(program)`. Add new commands here. */
const COMMANDS: { register(program: Command): void }[] = [scan, collect, report, diff, ui, daemon, detectors];

export { gateExitCode } from './commands/scan.js';

/** Build the command tree (exported for tests). */
export function buildProgram(): Command {
  const program = new Command('shadowscan')
    .description('Find the AI agents and other non-human identities nobody registered, scoped or owns.')
    .version(TOOL_VERSION)
    .showHelpAfterError()
    .exitOverride();
  for (const c of COMMANDS) c.register(program);
  return program;
}

/** Entry point: the only place that prints errors and sets the exit code. */
export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  // Lock files name their holder: "shadowscan scan", "shadowscan daemon", …
  const command = argv.slice(2).find((a) => !a.startsWith('-'));
  if (command) lockIdentity.command = `shadowscan ${command}`;
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : ExitCode.ok;
  } catch (e) {
    if (e instanceof CommanderError) {
      return e.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
    }
    if (e instanceof UsageError) {
      process.stderr.write(`shadowscan: ${redact(e.message)}\n`);
      return ExitCode.usage;
    }
    process.stderr.write(`shadowscan: internal error: ${redact(errorMessage(e))}\n`);
    if (process.env['SHADOWSCAN_DEBUG'] && e instanceof Error && e.stack) process.stderr.write(redact(e.stack) + '\n');
    return ExitCode.usage;
  }
}

const isEntry = process.argv[1] !== undefined && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href;
if (isEntry) {
  main(process.argv).then((code) => {
    process.exitCode = code;
  });
}
