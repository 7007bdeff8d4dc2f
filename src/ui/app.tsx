/**
 * The interactive terminal report (ink). Loaded only on an interactive terminal (see src/cli/interactive.ts).
 * Holds one screen of rows at a time: every list is a page query to the UiSource.
 */
import { Box, Text, useApp, useInput, useStdout, type Key } from 'ink';
import { useCallback, useEffect, useMemo, useReducer, useRef, useState, type ReactElement } from 'react';
import { FINDING_SORTS, INVENTORY_SORTS, type Summary, type UiSource } from './data.js';
import { listRowsFor, type InitialData } from './session.js';
import { initialState, queryKey, reduce, splitKeys } from './state.js';
import { safeFileName, writeExport } from './export.js';
import { detailLines, type Line } from './layout.js';
import { screenLines } from './screen.js';
import { terminalSafe } from '../kernel/terminal-text.js';

/** Props of the app. */
export interface AppProps {
  source: UiSource;
  runId: string;
  /** Draw colours (default true; the CLI passes false under NO_COLOR). */
  color?: boolean;
  /** Fixed terminal size (tests); default: the terminal's, following resizes. */
  width?: number;
  height?: number;
  /** Where `e` and `r` write their files (default ./.shadowscan/exports). */
  exportDir?: string;
  /** The first screen's data, when fetched before rendering (see session.ts). */
  initial?: InitialData;
  /** Called once, after the first screen with data has been drawn. */
  onFirstFrame?: () => void;
}



function useTerminalSize(fixedW?: number, fixedH?: number): { width: number; height: number } {
  const { stdout } = useStdout();
  const read = (): { width: number; height: number } => ({
    width: fixedW ?? (stdout.columns || 80),
    height: fixedH ?? (stdout.rows || 24),
  });
  const [size, setSize] = useState(read);
  useEffect(() => {
    if (fixedW !== undefined && fixedH !== undefined) return;
    const onResize = (): void => setSize(read());
    stdout.on('resize', onResize);
    return () => {
      stdout.off('resize', onResize);
    };
  }, [stdout, fixedW, fixedH]);
  return size;
}

/** Print one line of segments; without colour only bold/dim survive. */
function LineView({ line, color, inverse }: { line: Line; color: boolean; inverse?: boolean }): ReactElement {
  return (
    <Text wrap="truncate-end" inverse={inverse ?? false}>
      {line.length === 0 ? ' ' : line.map((s, i) => (
        <Text key={i} {...(color && s.color ? { color: s.color } : {})} bold={s.bold ?? false} dimColor={(s.dim ?? false) && !inverse}>{terminalSafe(s.text)}</Text>
      ))}
    </Text>
  );
}

/** The app: summary header, Inventory/Findings lists, Detail, help. */
export function App(props: AppProps): ReactElement {
  const { source, color = true } = props;
  const { exit } = useApp();
  const size = useTerminalSize(props.width, props.height);
  const [s, dispatch] = useReducer(reduce, undefined, () => initialState(size.width, size.height, props.initial?.inventory ?? null));
  const [summary, setSummary] = useState<Summary | null>(props.initial?.summary ?? null);
  const [error, setError] = useState<string | null>(null);
  const firstFrame = useRef(false);
  const { width, height } = s;
  const listRows = listRowsFor(height);
  const fail = useCallback((e: unknown) => setError(e instanceof Error ? e.message : String(e)), []);

  useEffect(() => {
    if (size.width !== s.width || size.height !== s.height) dispatch({ type: 'size', width: size.width, height: size.height });
  }, [size.width, size.height]);

  useEffect(() => {
    if (!summary) source.summary().then(setSummary, fail);
  }, [source, fail]);

  // One page of the visible list, re-queried when its filter, sort, window or size changes.
  const skipFirst = useRef(props.initial !== undefined && (props.initial.inventory.rows.length === listRows || props.initial.inventory.total <= listRows));
  useEffect(() => {
    if (skipFirst.current) {
      skipFirst.current = false;
      return;
    }
    let live = true;
    const l = s.inv;
    source.inventory({ ...(l.text ? { text: l.text } : {}), ...(l.only ? { only: l.only } : {}), sort: INVENTORY_SORTS[l.sort] ?? 'risk', offset: l.top, limit: listRows })
      .then((p) => live && dispatch({ type: 'inventoryPage', page: { ...p, offset: l.top, key: queryKey(l) } }), fail);
    return () => {
      live = false;
    };
  }, [source, s.inv.text, s.inv.only, s.inv.sort, s.inv.top, listRows, fail]);

  useEffect(() => {
    if (s.tab !== 'findings') return;
    let live = true;
    const l = s.fnd;
    source.findings({ ...(l.text ? { text: l.text } : {}), ...(l.only ? { only: l.only } : {}), sort: FINDING_SORTS[l.sort] ?? 'severity', offset: l.top, limit: listRows })
      .then((p) => live && dispatch({ type: 'findingsPage', page: { ...p, offset: l.top, key: queryKey(l) } }), fail);
    return () => {
      live = false;
    };
  }, [source, s.tab, s.fnd.text, s.fnd.only, s.fnd.sort, s.fnd.top, listRows, fail]);

  const detailId = s.detail?.id;
  const detailLoaded = s.detail?.data !== null && s.detail !== null;
  const focus = s.detail?.focus;
  useEffect(() => {
    if (!detailId || detailLoaded) return;
    let live = true;
    source.detail(detailId).then((data) => {
      if (!live) return;
      const view = detailLines(data, width);
      const at = focus ? view.findingAt.get(focus) : undefined;
      dispatch({ type: 'detail', id: detailId, data, lines: view.lines.length, ...(at !== undefined ? { focusLine: at } : {}) });
    }, fail);
    return () => {
      live = false;
    };
  }, [source, detailId, detailLoaded, focus, width, fail]);

  // Side effects the reducer asked for: quitting, writing a file.
  useEffect(() => {
    if (s.quit) exit();
  }, [s.quit, exit]);
  useEffect(() => {
    const d = s.detail?.data;
    const req = s.exportRequest;
    if (!req || !d || !s.detail) return;
    const id = s.detail.id;
    const what = req.kind === 'explain' ? 'explanation' : 'registry entry';
    const name = `${safeFileName(d.item?.name ?? id)}${req.kind === 'explain' ? '.explain.txt' : '.registry.yaml'}`;
    const dir = props.exportDir ?? './.shadowscan/exports';
    dispatch({ type: 'status', text: `writing ${what}…` });
    // The same functions as `shadowscan explain ID` and `shadowscan registry suggest --identity ID`.
    (req.kind === 'explain' ? source.explain(id) : source.registryEntry(id))
      .then((out) => {
        const path = writeExport(dir, name, out.text);
        const other = out.runId && out.runId !== props.runId ? ` (from the latest scan, ${out.runId}, not the run shown)` : '';
        dispatch({ type: 'status', text: `wrote ${what} to ${path}${other}` });
      })
      .catch((e: unknown) => dispatch({ type: 'status', text: `could not write the ${what}: ${e instanceof Error ? e.message : String(e)}` }));
  }, [s.exportRequest?.seq]);

  useEffect(() => {
    if (!firstFrame.current && summary && s.invPage) {
      firstFrame.current = true;
      props.onFirstFrame?.();
    }
  }, [summary, s.invPage, props.onFirstFrame]);

  useInput((input: string, key: Key) => {
    if (error) {
      if (input === 'q' || key.escape) exit();
      return;
    }
    for (const k of splitKeys(input, key)) dispatch({ type: 'key', input: k.input, key: k.key });
  });

  const detailView = useMemo(() => (s.detail?.data ? detailLines(s.detail.data, width) : null), [s.detail?.data, width]);

  if (error) {
    return (
      <Box flexDirection="column">
        <Text {...(color ? { color: 'red' } : {})}>shadowscan ui: {terminalSafe(error, { multiline: true })}</Text>
        <Text>press q to quit</Text>
      </Box>
    );
  }

  const lines = screenLines(s, summary, detailView).map((l, i) => <LineView key={i} line={l.line} color={color} {...(l.inverse ? { inverse: true } : {})} />);
  return <Box flexDirection="column" width={width}>{lines}</Box>;
}
