/**
 * What the CLI says while it works, on stderr: a progress bar on a terminal (phase, bar, counts, ETA), log lines
 * everywhere else (`--log-level`, `--log-format text|json`), so a CI log shows what happened. Data stays on stdout.
 */
import type { Command } from 'commander';
import { Option } from 'commander';
import { UsageError } from '../kernel/errors.js';
import type { ProgressCounts, ProgressFn } from '../kernel/progress.js';
import { redact, redactValue } from '../kernel/redact.js';
import { terminalSafe } from '../kernel/terminal-text.js';

/** Log levels, least severe first; `off` prints nothing. */
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'off'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
export const LOG_FORMATS = ['text', 'json'] as const;

/** A log line writer: `log('info', 'scan.progress', { detail })`. */
export type Logger = (level: Exclude<LogLevel, 'off'>, msg: string, fields?: Record<string, unknown>) => void;

/** One JSON object per line (time, level, msg, fields), secrets redacted. */
export function jsonLogger(minLevel: string, write: (line: string) => void = (l) => process.stderr.write(l)): Logger {
  const min = LOG_LEVELS.indexOf(minLevel as LogLevel);
  return (level, msg, fields = {}) => {
    if (LOG_LEVELS.indexOf(level) < min) return;
    write(JSON.stringify(redactValue({ time: new Date().toISOString(), level, msg, ...fields })) + '\n');
  };
}

/** `2026-11-20T06:17:03.120Z info  msg key=value …` lines, secrets redacted. */
export function textLogger(minLevel: string, write: (line: string) => void = (l) => process.stderr.write(l)): Logger {
  const min = LOG_LEVELS.indexOf(minLevel as LogLevel);
  return (level, msg, fields = {}) => {
    if (LOG_LEVELS.indexOf(level) < min) return;
    const kv = Object.entries(fields).map(([k, v]) => `${k}=${typeof v === 'string' && !/\s/.test(v) ? v : JSON.stringify(v)}`).join(' ');
    write(terminalSafe(redact(`${new Date().toISOString()} ${level.padEnd(5)} ${msg}${kv ? ` ${kv}` : ''}`)) + '\n');
  };
}

/** The logging flags of commands that do long work (scan, collect). */
export interface LogFlags {
  quiet?: boolean;
  logLevel?: string;
  logFormat?: string;
}

/** Add `--log-level` and `--log-format`. */
export function addLogOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option('--log-level <level>', 'log lines on stderr at or above this level (default: info off a terminal; on a terminal a progress bar instead, unless a level is given)').choices([...LOG_LEVELS]))
    .addOption(new Option('--log-format <format>', 'log lines as text or JSON objects (one per line)').choices([...LOG_FORMATS]).default('text'));
}

/** Format a duration in seconds for an ETA: 45s, 3m10s, 1h05m. */
export function eta(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/** One bar line: `loading ▕██████░░░░░░▏ 12/29 detectors · 3s left · detector aws/overbroad`, cut to `width`. */
export function barLine(phase: string, c: ProgressCounts, secondsLeft: number | undefined, width: number): string {
  const cells = 24;
  const ratio = c.total > 0 ? Math.min(1, c.done / c.total) : 0;
  const full = Math.round(ratio * cells);
  const bar = `▕${'█'.repeat(full)}${'░'.repeat(cells - full)}▏`;
  const left = secondsLeft !== undefined && c.unit !== 'steps' && c.done > 0 && c.done < c.total ? ` · ${eta(secondsLeft)} left` : '';
  const line = `${bar} ${c.done}/${c.total} ${c.unit}${left} · ${phase}${c.item ? ` ${c.item}` : ''}`;
  return line.length > width ? `${line.slice(0, Math.max(0, width - 1))}…` : line;
}

/** What `progressFor` gives a command: the callback for the core, `done()` to clear the bar, the logger. */
export interface Progress {
  onProgress: ProgressFn | undefined;
  log: Logger;
  done(): void;
}

/**
 * Progress for the flags: `-q` nothing; a terminal without --log-level a redrawn bar (messages without counts print
 * as lines above it); otherwise log lines at --log-level (default info), counted phases every 10% or 5 s.
 */
export function progressFor(flags: LogFlags, stream: NodeJS.WriteStream = process.stderr, now: () => number = Date.now): Progress {
  if (flags.logLevel !== undefined && !(LOG_LEVELS as readonly string[]).includes(flags.logLevel)) {
    throw new UsageError(`--log-level ${flags.logLevel}: expected one of ${LOG_LEVELS.join(', ')}`);
  }
  const write = (s: string) => { stream.write(s); };
  const level = flags.quiet ? 'off' : flags.logLevel ?? 'info';
  const log = flags.logFormat === 'json' ? jsonLogger(level, write) : textLogger(level, write);
  if (level === 'off') return { onProgress: undefined, log, done: () => undefined };

  if (stream.isTTY && flags.logLevel === undefined) {
    let shown = false;
    let phase = { key: '', started: 0 };
    let lastDraw = 0;
    const clear = () => { if (shown) { write('\r\x1b[2K'); shown = false; } };
    const onProgress: ProgressFn = (message, counts) => {
      if (!counts) {
        clear();
        write(`shadowscan: ${terminalSafe(redact(message), { multiline: true })}\n`);
        return;
      }
      const key = `${message}|${counts.unit}|${counts.total}`;
      if (key !== phase.key) phase = { key, started: now() };
      const t = now();
      if (counts.done < counts.total && t - lastDraw < 80) return; // at most ~12 redraws a second
      lastDraw = t;
      const elapsed = (t - phase.started) / 1000;
      const left = counts.done > 0 ? (elapsed / counts.done) * (counts.total - counts.done) : undefined;
      write(`\r\x1b[2K${barLine(terminalSafe(redact(message)), { ...counts, ...(counts.item ? { item: terminalSafe(counts.item) } : {}) }, left, (stream.columns ?? 80) - 1)}`);
      shown = true;
      if (counts.done >= counts.total) clear();
    };
    return { onProgress, log, done: clear };
  }

  let last = { key: '', at: 0, tenth: -1 };
  const onProgress: ProgressFn = (message, counts) => {
    if (!counts) { log('info', message); return; }
    const key = `${message}|${counts.unit}|${counts.total}`;
    const tenth = counts.total > 0 ? Math.floor((counts.done / counts.total) * 10) : 10;
    const t = now();
    const fresh = key !== last.key;
    if (!fresh && tenth === last.tenth && t - last.at < 5000 && counts.done < counts.total) return;
    last = { key, at: t, tenth };
    log('info', message, { done: counts.done, total: counts.total, unit: counts.unit, ...(counts.item ? { item: counts.item } : {}) });
  };
  return { onProgress, log, done: () => undefined };
}
