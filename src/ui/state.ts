/**
 * The UI's state machine: every key and every query result is an action, applied in order by one reducer,
 * so fast typing (or a held `j`) never acts on a stale screen. Pure: no ink, no I/O.
 */
import { SEVERITIES, type Classification, type Severity } from '../kernel/types.js';
import {
  CLASSIFICATIONS, FINDING_SORTS, INVENTORY_SORTS, type FindingRow, type IdentityDetail, type InventoryRow, type Page,
} from './data.js';
import { listRowsFor } from './session.js';

export type Tab = 'inventory' | 'findings';

/** Filter, sort and position of one list. */
export interface ListState<F extends string> {
  text: string;
  only: F | undefined;
  sort: number;
  cursor: number;
  /** First row on screen (the page offset queried). */
  top: number;
}

/** A page as loaded: its offset and the filter/sort it answers (`queryKey`). */
export type LoadedPage<T> = Page<T> & { offset: number; key: string };

/** Identifies a list's filter and sort: a page answers the list only while its key matches. */
export function queryKey(l: ListState<string>): string {
  return JSON.stringify([l.text, l.only ?? null, l.sort]);
}

/** The subset of ink's Key the reducer reads. */
export interface KeyInfo {
  upArrow?: boolean; downArrow?: boolean; leftArrow?: boolean; rightArrow?: boolean; pageUp?: boolean; pageDown?: boolean;
  return?: boolean; escape?: boolean; ctrl?: boolean; meta?: boolean; tab?: boolean; backspace?: boolean; delete?: boolean;
}

export interface UiState {
  tab: Tab;
  inv: ListState<Classification>;
  fnd: ListState<Severity>;
  invPage: LoadedPage<InventoryRow> | null;
  fndPage: LoadedPage<FindingRow> | null;
  typing: boolean;
  help: boolean;
  detail: { id: string; data: IdentityDetail | null; scroll: number; focus?: string; lines: number } | null;
  status: string;
  width: number;
  height: number;
  quit: boolean;
  /** A file the user asked for (`e`/`r`); the app writes it and reports back with a status. */
  exportRequest: { kind: 'explain' | 'registry'; seq: number } | null;
}

export type Action =
  | { type: 'key'; input: string; key: KeyInfo }
  | { type: 'inventoryPage'; page: LoadedPage<InventoryRow> }
  | { type: 'findingsPage'; page: LoadedPage<FindingRow> }
  | { type: 'detail'; id: string; data: IdentityDetail; lines: number; focusLine?: number }
  | { type: 'status'; text: string }
  | { type: 'size'; width: number; height: number };

const LIST0 = { text: '', only: undefined, sort: 0, cursor: 0, top: 0 };

/** The state before anything is loaded. */
export function initialState(width: number, height: number, invPage: UiState['invPage'] = null): UiState {
  return { tab: 'inventory', inv: LIST0, fnd: LIST0, invPage, fndPage: null, typing: false, help: false, detail: null, status: '', width, height, quit: false, exportRequest: null };
}

/** Rows the Detail view shows below its title (header 4, title 1, footer 1, one spare). */
export function detailRowsFor(height: number): number {
  return Math.max(3, height - 7);
}

type AnyList = ListState<string>;

function currentList(s: UiState): AnyList {
  return s.tab === 'inventory' ? s.inv : s.fnd;
}

function withList(s: UiState, f: (l: AnyList, total: number) => AnyList): UiState {
  if (s.tab === 'inventory') return { ...s, inv: f(s.inv, totalOf(s.invPage, s.inv)) as ListState<Classification> };
  return { ...s, fnd: f(s.fnd, totalOf(s.fndPage, s.fnd)) as ListState<Severity> };
}

/** Rows matching the list's filter, once a page answering it has arrived (0 until then). */
function totalOf(page: LoadedPage<unknown> | null, l: AnyList): number {
  return page && page.key === queryKey(l) ? page.total : 0;
}

/** Move the cursor (clamped to the rows that exist), scrolling the window so it stays visible. */
function move(s: UiState, to: (cursor: number, total: number, rows: number) => number): UiState {
  const rows = listRowsFor(s.height);
  return withList(s, (l, total) => {
    const cursor = Math.max(0, Math.min(Math.max(0, total - 1), to(l.cursor, total, rows)));
    let top = l.top;
    if (cursor < top) top = cursor;
    if (cursor >= top + rows) top = cursor - rows + 1;
    return { ...l, cursor, top };
  });
}

/** Change the filter or sort: back to the first row. */
function refilter(s: UiState, patch: (l: AnyList) => Partial<AnyList>): UiState {
  return withList(s, (l) => ({ ...l, ...patch(l), cursor: 0, top: 0 }));
}

function openSelected(s: UiState): UiState {
  if (s.tab === 'inventory') {
    const r = s.invPage?.key === queryKey(s.inv) ? s.invPage.rows[s.inv.cursor - s.invPage.offset] : undefined;
    return r ? { ...s, detail: { id: r.id, data: null, scroll: 0, lines: 0 }, status: '' } : s;
  }
  const r = s.fndPage?.key === queryKey(s.fnd) ? s.fndPage.rows[s.fnd.cursor - s.fndPage.offset] : undefined;
  return r ? { ...s, detail: { id: r.subject_id, data: null, scroll: 0, focus: r.id, lines: 0 }, status: '' } : s;
}

function onKey(s: UiState, input: string, key: KeyInfo): UiState {
  // Keys after `q` (typed ahead, or before ink unmounts) do nothing.
  if (s.quit) return s;
  if (s.typing) {
    if (key.return) return { ...s, typing: false };
    if (key.escape) return refilter({ ...s, typing: false }, () => ({ text: '' }));
    if (key.backspace || key.delete) return refilter(s, (l) => ({ text: l.text.slice(0, -1) }));
    if (input && !key.ctrl && !key.meta && !key.tab && !key.upArrow && !key.downArrow && !key.leftArrow && !key.rightArrow) {
      return refilter(s, (l) => ({ text: l.text + input }));
    }
    return s;
  }
  if (s.help) return { ...s, help: false };
  if (input === 'q') return { ...s, quit: true };
  if (input === '?') return { ...s, help: true };

  if (s.detail) {
    const d = s.detail;
    const rows = detailRowsFor(s.height);
    const max = Math.max(0, d.lines - rows);
    const scroll = (to: number): UiState => ({ ...s, detail: { ...d, scroll: Math.max(0, Math.min(max, to)) } });
    if (key.escape || key.backspace || key.delete || key.leftArrow) return { ...s, detail: null, status: '' };
    if (key.downArrow || input === 'j') return scroll(d.scroll + 1);
    if (key.upArrow || input === 'k') return scroll(d.scroll - 1);
    if (key.pageDown || input === ' ') return scroll(d.scroll + rows - 1);
    if (key.pageUp) return scroll(d.scroll - rows + 1);
    if (input === 'g') return scroll(0);
    if (input === 'G') return scroll(max);
    if ((input === 'e' || input === 'r') && d.data) {
      return { ...s, exportRequest: { kind: input === 'e' ? 'explain' : 'registry', seq: (s.exportRequest?.seq ?? 0) + 1 } };
    }
    if (key.tab) return { ...s, detail: null, status: '', tab: s.tab === 'inventory' ? 'findings' : 'inventory' };
    return s;
  }

  const list = { ...s, status: '' };
  if (key.downArrow || input === 'j') return move(list, (c) => c + 1);
  if (key.upArrow || input === 'k') return move(list, (c) => c - 1);
  if (key.pageDown || input === ' ') return move(list, (c, _t, rows) => c + rows);
  if (key.pageUp) return move(list, (c, _t, rows) => c - rows);
  if (input === 'g') return move(list, () => 0);
  if (input === 'G') return move(list, (_c, total) => total - 1);
  if (key.return || key.rightArrow) return openSelected(list);
  if (key.tab) return { ...list, tab: s.tab === 'inventory' ? 'findings' : 'inventory' };
  if (input === '/') return { ...list, typing: true };
  if (input === 's') {
    const n = s.tab === 'inventory' ? INVENTORY_SORTS.length : FINDING_SORTS.length;
    return refilter(list, (l) => ({ sort: (l.sort + 1) % n }));
  }
  if (input === 'f') {
    const cycle: readonly string[] = s.tab === 'inventory' ? CLASSIFICATIONS : [...SEVERITIES].reverse();
    return refilter(list, (l) => {
      const i = l.only === undefined ? -1 : cycle.indexOf(l.only);
      return { only: i + 1 < cycle.length ? cycle[i + 1] : undefined };
    });
  }
  const cur = currentList(s);
  if ((key.escape || key.backspace || key.delete) && (cur.text || cur.only)) return refilter(list, () => ({ text: '', only: undefined }));
  return list;
}

/** Apply one action. */
export function reduce(s: UiState, a: Action): UiState {
  switch (a.type) {
    case 'key':
      return onKey(s, a.input, a.key);
    case 'inventoryPage':
      return { ...s, invPage: a.page };
    case 'findingsPage':
      return { ...s, fndPage: a.page };
    case 'detail':
      if (!s.detail || s.detail.id !== a.id) return s;
      return { ...s, detail: { ...s.detail, data: a.data, lines: a.lines, scroll: a.focusLine !== undefined ? Math.max(0, a.focusLine - 1) : 0 } };
    case 'status':
      return { ...s, status: a.text };
    case 'size': {
      const next = { ...s, width: a.width, height: a.height };
      // Keep the cursor on screen after a resize.
      return move(next, (c) => c);
    }
  }
}

/**
 * Keys that arrive together (typed ahead while the app starts, or pasted) come as one string; split them
 * into single keypresses so each acts. Escape sequences (arrows, …) are already single keys.
 */
export function splitKeys(input: string, key: KeyInfo): { input: string; key: KeyInfo }[] {
  if (input.length <= 1 || input.startsWith('\x1b')) return [{ input, key }];
  return [...input].map((ch) => {
    if (ch === '\r' || ch === '\n') return { input: '', key: { return: true } };
    if (ch === '\t') return { input: '', key: { tab: true } };
    if (ch === '\x7f' || ch === '\b') return { input: '', key: { delete: true } };
    return { input: ch, key: {} };
  });
}
