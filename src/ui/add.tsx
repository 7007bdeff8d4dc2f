/**
 * `shadowscan registry add` on a terminal: the five questions one at a time (only those the flags did not
 * answer), then the verdict, the proposed tier, the approvals it needs and the entry, written on Enter.
 * Loaded only on an interactive terminal, like the report UI.
 */
import { printOut } from '../terminal/print.js';
import { Box, render, Text, useInput } from 'ink';
import React, { useEffect, useReducer, useState } from 'react';
import { ExitCode } from '../kernel/errors.js';
import { CALLS, entryYaml, planEntry, TOUCHES, type AddAnswers, type Calls, type Observed, type Touch } from '../registry/add.js';
import { identityRefKind, type Registry } from '../registry/registry.js';
import { finishAdd, type AddFlags } from '../registry/add.js';

type Step = 'identity' | 'what' | 'owner' | 'touches' | 'unattended' | 'calls' | 'review';

export interface AddFormProps {
  given: Partial<AddAnswers>;
  observed?: Observed | undefined;
  registry?: Registry | undefined;
  today: string;
  dryRun: boolean;
  /** Called once: the complete answers, or null when cancelled. */
  onDone: (answers: AddAnswers | null) => void;
}

const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

/** The steps still to ask, in order. */
export function stepsFor(given: Partial<AddAnswers>, dryRun: boolean): Step[] {
  const s: Step[] = [];
  if (!dryRun && (given.identities ?? []).length === 0) s.push('identity');
  if (!given.what && !dryRun) s.push('what');
  if (!given.owner && !dryRun) s.push('owner');
  if (!given.touches) s.push('touches');
  if (given.unattended === undefined) s.push('unattended');
  if (!given.calls) s.push('calls');
  s.push('review');
  return s;
}

const QUESTION: Record<Exclude<Step, 'review'>, string> = {
  identity: 'Which identity does it run as? (IAM role/user ARN, access key id, github:ORG/REPO)',
  what: '1. What does it do? (a sentence)',
  owner: '2. Who owns it? (the email of a person, not a team)',
  touches: '3. What does it touch? (space to tick, Enter when done)',
  unattended: '4. Does it run unattended — on a schedule, in CI, triggered by events — with nobody watching? (y/n)',
  calls: '5. Does it call an LLM or an external API?',
};

interface FormState {
  at: number;
  a: Partial<AddAnswers>;
  text: string;
  cursor: number;
  ticked: Touch[];
  error: string;
  /** Set once: the answers, or null when cancelled. */
  done?: AddAnswers | null;
}

type KeyPress = { input: string; key: { return?: boolean; escape?: boolean; ctrl?: boolean; meta?: boolean; backspace?: boolean; delete?: boolean; upArrow?: boolean; downArrow?: boolean; leftArrow?: boolean; rightArrow?: boolean; tab?: boolean } };

/** One key press applied to the form (a reducer: keys that arrive faster than renders, e.g. a paste, are all applied in order). */
export function formStep(steps: Step[], observed: Observed | undefined, st: FormState, { input, key }: KeyPress): FormState {
  if (st.done !== undefined) return st;
  if (key.escape || (key.ctrl && input === 'c')) return { ...st, done: null };
  const step = steps[st.at] ?? 'review';
  const next = (patch: Partial<AddAnswers>): FormState => ({ ...st, a: { ...st.a, ...patch }, error: '', cursor: 0, text: '', at: st.at + 1 });
  const fail = (error: string): FormState => ({ ...st, error });
  if (step === 'identity' || step === 'what' || step === 'owner') {
    if (key.return) {
      // an empty answer to "who owns it?" takes the owner the scan suggests (tag or creator), when there is one
      const v = st.text.trim() || (step === 'owner' ? observed?.suggestedOwner ?? '' : '');
      if (step === 'identity') return identityRefKind(v) ? next({ identities: [v] }) : fail('not an identity: an IAM ARN, an access key id (AKIA…), github:ORG/REPO or a github:// id');
      if (step === 'what') return v.length >= 5 ? next({ what: v }) : fail('say in a few words what it does');
      return EMAIL.test(v) ? next({ owner: v }) : fail('the email address of a person, e.g. mia@example.com');
    }
    if (key.backspace || key.delete) return { ...st, text: st.text.slice(0, -1) };
    if (input && !key.ctrl && !key.meta && !key.upArrow && !key.downArrow && !key.leftArrow && !key.rightArrow && !key.tab) return { ...st, text: st.text + input.replace(/[\r\n]/g, '') };
    return st;
  }
  if (step === 'touches') {
    if (key.upArrow) return { ...st, cursor: Math.max(0, st.cursor - 1) };
    if (key.downArrow) return { ...st, cursor: Math.min(TOUCHES.length - 1, st.cursor + 1) };
    if (input === ' ') {
      const k = TOUCHES[st.cursor]?.key;
      if (!k) return st;
      return { ...st, ticked: st.ticked.includes(k) ? st.ticked.filter((x) => x !== k) : [...st.ticked, k] };
    }
    if (key.return) {
      if (st.ticked.length === 0) return fail('tick at least one (space); "reads internal data only" if nothing else');
      return next({ touches: TOUCHES.map((x) => x.key).filter((k) => st.ticked.includes(k)) });
    }
    return st;
  }
  if (step === 'unattended') {
    if (input === 'y' || input === 'Y') return next({ unattended: true });
    if (input === 'n' || input === 'N') return next({ unattended: false });
    return st;
  }
  if (step === 'calls') {
    if (key.upArrow) return { ...st, cursor: Math.max(0, st.cursor - 1) };
    if (key.downArrow) return { ...st, cursor: Math.min(CALLS.length - 1, st.cursor + 1) };
    if (key.return) return next({ calls: (CALLS[st.cursor]?.key ?? 'none') as Calls });
    return st;
  }
  if (key.return) return { ...st, done: st.a as AddAnswers };
  return st;
}

/** The form. */
export function AddForm(p: AddFormProps): React.JSX.Element {
  const [steps] = useState(() => stepsFor(p.given, p.dryRun));
  const [st, dispatch] = useReducer((s: FormState, k: KeyPress) => formStep(steps, p.observed, s, k), { at: 0, a: { ...p.given }, text: '', cursor: 0, ticked: [], error: '' });
  const { a, text, cursor, error } = st;
  const ticked = new Set(st.ticked);
  const step = steps[st.at] ?? 'review';
  useInput((input, key) => dispatch({ input, key }));
  useEffect(() => {
    if (st.done !== undefined) p.onDone(st.done);
  }, [st.done]);

  const head = (
    <Box flexDirection="column" marginBottom={1}>
      <Text bold>Register an agent or workload in five questions</Text>
      {p.observed ? <Text dimColor>{`${p.observed.identity}: the last scan saw ${p.observed.name ?? 'it'} as ${p.observed.classification ?? 'unknown'}${p.observed.observedTier ? `, acting as tier ${p.observed.observedTier}` : ''}${p.observed.grantTier ? `, grants up to tier ${p.observed.grantTier}` : ''}`}</Text> : null}
    </Box>
  );
  if (step === 'review') {
    const plan = planEntry(a as AddAnswers, p.registry, p.today, p.observed);
    return (
      <Box flexDirection="column">
        {head}
        <Text>{`Is it an agent? ${plan.verdict.agent ? 'Yes.' : 'No.'} ${plan.verdict.why}`}</Text>
        <Text>{`Proposed tier: ${plan.tier} — ${plan.reasons.join('; ')}`}</Text>
        <Text>{`Approvals:${plan.approvalsComment}`}</Text>
        {plan.verdict.register && !p.dryRun ? <Box marginTop={1} flexDirection="column"><Text>{entryYaml(plan).trimEnd()}</Text></Box> : null}
        <Box marginTop={1}><Text bold>{plan.verdict.register && !p.dryRun ? 'Enter: write it to the registry   Esc: cancel' : 'Enter: done   Esc: cancel'}</Text></Box>
      </Box>
    );
  }
  let body: React.JSX.Element;
  if (step === 'touches') {
    body = <Box flexDirection="column">{TOUCHES.map((t, i) => <Text key={t.key} {...(i === cursor ? { color: 'cyan' } : {})}>{`${i === cursor ? '›' : ' '} [${ticked.has(t.key) ? 'x' : ' '}] ${t.label}`}</Text>)}</Box>;
  } else if (step === 'calls') {
    body = <Box flexDirection="column">{CALLS.map((c, i) => <Text key={c.key} {...(i === cursor ? { color: 'cyan' } : {})}>{`${i === cursor ? '›' : ' '} ${c.label}`}</Text>)}</Box>;
  } else if (step === 'unattended') {
    body = <Text>y / n</Text>;
  } else {
    body = <Text>{`> ${text}`}<Text inverse> </Text></Text>;
  }
  return (
    <Box flexDirection="column">
      {head}
      <Text bold>{QUESTION[step]}</Text>
      {step === 'owner' && p.observed?.suggestedOwner ? <Text dimColor>{`Enter for ${p.observed.suggestedOwner} (from the scan: owner tag or creator)`}</Text> : null}
      {body}
      {error ? <Text color="red">{error}</Text> : null}
    </Box>
  );
}

/** Run the form on the terminal, then write (or print) as the flags path does. */
export async function runAddForm(o: { flags: AddFlags; given: Partial<AddAnswers>; registry: Registry | undefined; registryFile: string | undefined; observed: Observed | undefined }): Promise<number> {
  let result: AddAnswers | null = null;
  const today = new Date().toISOString().slice(0, 10);
  const app = render(<AddForm given={o.given} observed={o.observed} registry={o.registry} today={o.flags.asOf ? o.flags.asOf.slice(0, 10) : today} dryRun={Boolean(o.flags.dryRun)}
    onDone={(r) => { result = r; app.unmount(); }} />, { exitOnCtrlC: false });
  await app.waitUntilExit();
  const answers = result as AddAnswers | null;
  if (!answers) {
    printOut('cancelled: nothing written\n');
    return ExitCode.policy;
  }
  const { text } = finishAdd(answers, o.flags, o.registry, o.registryFile, o.observed);
  printOut(text);
  return ExitCode.ok;
}
