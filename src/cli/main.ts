#!/usr/bin/env node
// First: the umask (0077) is set before any other module can open a file.
import './umask.js';
import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { Command, CommanderError } from 'commander';
import { ExitCode, UsageError, errorMessage } from '../kernel/errors.js';
import { redact } from '../kernel/redact.js';
import { lockIdentity } from '../store/lock.js';
import { TOOL_VERSION } from '../kernel/version.js';
import { addHelpFooters } from './help.js';
import { printErr } from '../terminal/print.js';

/** A command module: exports `register(program)`. */
type CommandModule = { register(program: Command): void };

/**
 * Every command, by name, with its module. Add new commands here. Modules are imported only when their
 * command runs (or for help), so starting `shadowscan ui` does not load the AWS SDK, and `scan` does not load ink.
 */
const COMMANDS: Record<string, () => Promise<CommandModule>> = {
  scan: () => import('./commands/scan.js'),
  collect: () => import('./commands/collect.js'),
  report: () => import('./commands/report.js'),
  diff: () => import('./commands/diff.js'),
  ui: () => import('./commands/ui.js'),
  daemon: () => import('./commands/daemon.js'),
  detectors: () => import('./commands/detectors.js'),
  registry: () => import('./commands/registry.js'),
  explain: () => import('./commands/explain.js'),
  block: () => import('./commands/block.js'),
};

/** Build the command tree: only `command` when it names one, else every command (help, errors). Exported for tests. */
export async function buildProgram(command?: string, subcommand?: string): Promise<Command> {
  const known = command !== undefined && Object.hasOwn(COMMANDS, command);
  const helpPath = known ? [command, ...(subcommand && /^[a-z]+$/.test(subcommand) ? [subcommand] : [])].join(' ') : '';
  const program = new Command('shadowscan')
    .description('Find the AI agents and other non-human identities nobody registered, scoped or owns.')
    .version(TOOL_VERSION)
    // A usage error prints the error and one line pointing at the help (not the whole help).
    .showHelpAfterError(`(run 'shadowscan ${helpPath ? `${helpPath} ` : ''}--help' for the options, examples and exit codes)`)
    .exitOverride();
  const names = command !== undefined && Object.hasOwn(COMMANDS, command) ? [command] : Object.keys(COMMANDS);
  const modules = await Promise.all(names.map((n) => (COMMANDS[n] as () => Promise<CommandModule>)()));
  for (const m of modules) m.register(program);
  addHelpFooters(program);
  return program;
}

/** Entry point: the only place that prints errors and sets the exit code. */
export async function main(argv: string[]): Promise<number> {
  // Lock files name their holder: "shadowscan scan", "shadowscan daemon", …
  const command = argv.slice(2).find((a) => !a.startsWith('-'));
  if (command) lockIdentity.command = `shadowscan ${command}`;
  try {
    const args = argv.slice(2);
    const at = command ? args.indexOf(command) : -1;
    const program = await buildProgram(command, command && ['registry', 'detectors'].includes(command) ? args[at + 1] : undefined);
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : ExitCode.ok;
  } catch (e) {
    if (e instanceof CommanderError) {
      return e.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
    }
    if (e instanceof UsageError) {
      printErr(e.message);
      return ExitCode.usage;
    }
    // Anything else is a bug (or a failure shadowscan did not foresee): its own exit code, and the stack on request.
    const debug = Boolean(process.env['SHADOWSCAN_DEBUG']);
    printErr(`internal error: ${errorMessage(e)}${debug ? '' : ' (rerun with SHADOWSCAN_DEBUG=1 for the stack trace)'}`);
    if (debug && e instanceof Error && e.stack) printErr(e.stack);
    return ExitCode.internal;
  }
}

const isEntry = process.argv[1] !== undefined && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href;
if (isEntry) {
  main(process.argv).then((code) => {
    process.exitCode = code;
  });
}
