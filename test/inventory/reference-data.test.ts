import { describe, expect, it } from 'vitest';
import { loadActionCatalogue } from '../../src/iam-policy/iam-actions.js';
import { PRIVESC_METHODS } from '../../src/inventory/privesc-paths.js';
import { buildModel } from '../../src/model/build.js';
import { builtinModel } from '../../src/model/loader.js';
import { Store } from '../../src/store/db.js';

describe('reference data the grant detectors join against', () => {
  it('every privilege-escalation step names a real IAM action, and path ids are unique', async () => {
    const cat = await loadActionCatalogue();
    const missing = PRIVESC_METHODS.flatMap((p) => p.steps.filter((s) => !cat.lookup(s.action)).map((s) => `${p.id}: ${s.action}`));
    expect(missing).toEqual([]);
    const ids = PRIVESC_METHODS.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    // PassRole and compute methods say which service the role must trust; every method names its source.
    for (const p of PRIVESC_METHODS.filter((x) => x.kind === 'pass-role' || x.kind === 'compute')) expect(p.service, p.id).toMatch(/\.amazonaws\.com$/);
    for (const p of PRIVESC_METHODS) expect(p.reference, p.id).toMatch(/^https:\/\//);
    // The methods the issue names are all there.
    for (const id of ['passrole-sagemaker-processing-job', 'passrole-sagemaker-training-job', 'sagemaker-presigned-notebook-url', 'ec2-instance-connect', 'ec2-serial-console',
      'ssm-start-session', 'ssm-send-command', 'cloudformation-update-stack', 'passrole-ec2-associate-profile', 'passrole-ec2-replace-profile',
      'passrole-add-role-to-instance-profile', 'codebuild-start-build', 'ecs-run-task', 'lambda-update-configuration', 'lambda-update-code']) expect(ids).toContain(id);
  });

  it('every event→action exception (reference/event-actions.csv) maps to a real IAM action unless it needs no permission', async () => {
    const cat = await loadActionCatalogue();
    const store = await Store.open(':memory:');
    try {
      await buildModel(store, builtinModel().filter((o) => o.meta.name === 'event_actions'));
      const rows = await store.all<{ event_name: string; action: string; permission_free: boolean }>('SELECT * FROM event_actions');
      expect(rows.length).toBeGreaterThan(30);
      expect(rows.filter((e) => !e.permission_free && !cat.lookup(e.action)).map((e) => `${e.event_name} → ${e.action}`)).toEqual([]);
    } finally {
      store.close();
    }
  });
});
