import { describe, expect, it } from 'vitest';
import { EVENT_ACTIONS } from '../../src/inventory/event-actions.js';
import { loadActionCatalogue } from '../../src/inventory/iam-actions.js';
import { PRIVESC_PATHS } from '../../src/inventory/privesc-paths.js';

describe('reference data the grant detectors join against', () => {
  it('every privilege-escalation step names a real IAM action, and path ids are unique', async () => {
    const cat = await loadActionCatalogue();
    const missing = PRIVESC_PATHS.flatMap((p) => p.steps.filter((s) => !cat.lookup(s.action)).map((s) => `${p.id}: ${s.action}`));
    expect(missing).toEqual([]);
    const ids = PRIVESC_PATHS.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    // PassRole paths say which service the role goes to (used in the evidence and remediation).
    for (const p of PRIVESC_PATHS.filter((x) => x.steps.some((s) => s.target === 'role'))) expect(p.passedTo, p.id).toMatch(/\.amazonaws\.com$/);
  });

  it('every event→action exception maps to a real IAM action unless it needs no permission', async () => {
    const cat = await loadActionCatalogue();
    const missing = EVENT_ACTIONS.filter((e) => !e.permissionFree && !cat.lookup(e.action)).map((e) => `${e.event} → ${e.action}`);
    expect(missing).toEqual([]);
  });
});
