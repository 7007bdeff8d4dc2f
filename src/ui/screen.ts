/**
 * The whole screen as lines, from the UI state: one pure function used by the ink app and by the first
 * paint (before ink has loaded), so both draw exactly the same thing.
 */
import { FINDING_SORTS, INVENTORY_SORTS, type Summary } from './data.js';
import {
  clip, findingHeader, findingLine, headerLines, inventoryHeader, inventoryLine, truncateEnd, type Line, type Segment,
} from './layout.js';
import { listRowsFor } from './session.js';
import { detailRowsFor, queryKey, type UiState } from './state.js';
import { terminalSafe } from '../kernel/terminal-text.js';

/** One line of the screen; `inverse` marks the selected row. */
export interface ScreenLine {
  line: Line;
  inverse?: boolean;
}

/** The help screen's lines. */
export const HELP: [string, string][] = [
  ['↑ ↓  j k', 'move (PgUp/PgDn or space page, g/G first/last)'],
  ['Enter', 'open the identity (from Findings: the finding\'s subject)'],
  ['Esc  Backspace', 'back (in a list: clear the filter)'],
  ['Tab', 'switch Inventory / Findings'],
  ['/', 'filter by text: name, ARN, owner, category (Enter keeps, Esc clears)'],
  ['s', 'cycle the sort order'],
  ['f', 'filter by classification (Inventory) or severity (Findings)'],
  ['e', 'detail: write the identity\'s explanation to a file'],
  ['r', 'detail: write its suggested registry entry to a file'],
  ['?', 'this help (any key closes)'],
  ['q', 'quit'],
];

const footer = (text: string, status: boolean, width: number): ScreenLine => ({ line: clip([{ text, ...(status ? { color: 'green' } : { dim: true }) }], width) });

/** Every line of the screen for state `s` (header, then help, detail or list). */
export function screenLines(s: UiState, summary: Summary | null, detailView: { lines: Line[] } | null): ScreenLine[] {
  const { width, height } = s;
  const out: ScreenLine[] = (summary ? headerLines(summary, width) : [[{ text: 'shadowscan  loading…', bold: true }], [], [], []]).map((line) => ({ line }));
  if (s.help) {
    out.push({ line: [{ text: 'Keys', bold: true }] });
    for (const [k, v] of HELP) out.push({ line: clip([{ text: `  ${k.padEnd(16)}`, bold: true }, { text: v }], width) });
    return out;
  }
  if (s.detail) {
    const rows = detailRowsFor(height);
    out.push({ line: clip([{ text: 'Detail', bold: true }, { text: `  ${truncateEnd(s.detail.data?.item?.arn ?? s.detail.id, width - 10)}`, dim: true }], width) });
    let more = 0;
    if (!detailView) out.push({ line: [{ text: 'loading…', dim: true }] });
    else {
      const scroll = Math.min(s.detail.scroll, Math.max(0, detailView.lines.length - rows));
      for (const l of detailView.lines.slice(scroll, scroll + rows)) out.push({ line: clip(l, width) });
      more = detailView.lines.length - scroll - rows;
    }
    out.push(footer(s.status || `${more > 0 ? `↓ ${more} more  ` : ''}j/k scroll  e explain→file  r registry entry→file  Esc back  ? help  q quit`, Boolean(s.status), width));
    return out;
  }
  const list = s.tab === 'inventory' ? s.inv : s.fnd;
  const loaded = s.tab === 'inventory' ? s.invPage : s.fndPage;
  // A page answering an older filter or sort is not shown: the list says it is loading instead.
  const page = loaded && loaded.key === queryKey(list) ? loaded : null;
  const total = page?.total ?? 0;
  const sortName = s.tab === 'inventory' ? INVENTORY_SORTS[s.inv.sort] : FINDING_SORTS[s.fnd.sort];
  const tabs: Segment[] = [
    { text: ' Inventory ', bold: s.tab === 'inventory', ...(s.tab === 'inventory' ? { color: 'cyan' } : { dim: true }) },
    { text: '│' },
    { text: ' Findings ', bold: s.tab === 'findings', ...(s.tab === 'findings' ? { color: 'cyan' } : { dim: true }) },
    { text: `  sort: ${sortName}` },
    ...(list.only ? [{ text: `  ${s.tab === 'inventory' ? 'class' : 'severity'}: ${list.only}`, color: 'yellow' }] : []),
    ...(list.text || s.typing ? [{ text: `  filter: ${list.text}${s.typing ? '█' : ''}`, color: 'yellow' }] : []),
    { text: page ? `  ${total === 0 ? 0 : list.cursor + 1}/${total}` : '  loading…', dim: true },
  ];
  out.push({ line: clip(tabs, width) });
  out.push({ line: s.tab === 'inventory' ? inventoryHeader(width) : findingHeader(width) });
  const rows: Line[] = s.tab === 'inventory'
    ? (s.invPage?.rows ?? []).map((r) => inventoryLine(r, width))
    : (s.fndPage?.rows ?? []).map((r) => findingLine(r, width));
  const listRows = listRowsFor(height);
  for (let i = 0; i < listRows; i++) {
    const abs = list.top + i;
    const line = page ? rows[abs - page.offset] : undefined;
    const selected = abs === list.cursor && line !== undefined;
    if (line) out.push({ line: [{ text: selected ? '› ' : '  ', bold: true }, ...line], inverse: selected });
    else if (i === 0 && page && total === 0) out.push({ line: [{ text: list.text || list.only ? '  nothing matches the filter (Esc clears it)' : '  nothing here', dim: true }] });
    else out.push({ line: [] });
  }
  out.push(footer(s.status || (s.typing
    ? 'type to filter by name, ARN, owner or category · Enter keep · Esc clear'
    : 'j/k move  Enter open  Tab switch  / filter  s sort  f filter  ? help  q quit'), Boolean(s.status), width));
  return out;
}

const SGR: Record<string, number> = {
  black: 30, red: 31, green: 32, yellow: 33, blue: 34, magenta: 35, cyan: 36, white: 37, gray: 90, redBright: 91,
};

/** A screen as ANSI text (for the paint before ink loads): same lines, same styles. */
export function screenToAnsi(lines: ScreenLine[], color: boolean): string {
  return lines.map(({ line, inverse }) => {
    const body = line.map((seg) => {
      const codes: number[] = [];
      if (seg.bold) codes.push(1);
      if (seg.dim && !inverse) codes.push(2);
      if (color && seg.color && SGR[seg.color] !== undefined) codes.push(SGR[seg.color] as number);
      const text = terminalSafe(seg.text);
      return codes.length ? `\x1b[${codes.join(';')}m${text}\x1b[0m${inverse ? '\x1b[7m' : ''}` : text;
    }).join('');
    return `${inverse ? '\x1b[7m' : ''}${body || ' '}${inverse ? '\x1b[0m' : ''}\x1b[K`;
  }).join('\r\n');
}
