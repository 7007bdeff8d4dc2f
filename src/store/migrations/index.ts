import { migration as m001 } from './001-spine.js';
import { migration as m002 } from './002-ct-enriched-table.js';
import { migration as m003 } from './003-event-keys.js';
import { migration as m004 } from './004-iam-snapshots.js';
import { migration as m005 } from './005-run-iam-snapshots.js';
import { migration as m030 } from './030-detector-reference.js';
import { migration as m035 } from './035-people-leaks.js';
import { migration as m036 } from './036-privesc-graph.js';
import { migration as m040 } from './040-aws-collect.js';
import { migration as m041 } from './041-iam-extras.js';
import { migration as m050 } from './050-github.js';
import { migration as m055 } from './055-github-classify-in-model.js';
import { migration as m060 } from './060-registry.js';
import { migration as m061 } from './061-registry-approvals.js';
import { migration as m062 } from './062-registry-per-run.js';
import { migration as m070 } from './070-run-history.js';
import { migration as m080 } from './080-ui-identity-summary.js';
import { migration as m081 } from './081-ui-list-rows.js';
import { migration as m082 } from './082-one-grant-summary.js';
import { migration as m090 } from './090-daemon.js';

import type { Migration } from './types.js';

export type { Migration };

/**
 * Every migration, in order. Append new ones (one file each, never edit an applied one).
 * Version ranges by area, so parallel work does not collide: 1–29 core, 30–39 detectors,
 * 40–49 AWS collection, 50–59 GitHub, 60–69 registry, 70–79 reports/history, 80–89 UI, 90–99 daemon.
 */
export const MIGRATIONS: readonly Migration[] = [m001, m002, m003, m004, m005, m030, m035, m036, m040, m041, m050, m055, m060, m061, m062, m070, m080, m081, m082, m090].sort((a, b) => a.version - b.version);
