import { describe, expect, it } from 'vitest';
import { Store } from '../../src/store/db.js';
import { buildModel } from '../../src/model/build.js';
import { builtinModel } from '../../src/model/loader.js';

/**
 * `matches` tables (src/model/matches.ts) are filled one reference pattern per statement. Held here: ua_signature_hits
 * holds exactly the (user agent, signature) pairs a join on regexp_matches gives, brackets of S3 data events dropped;
 * a pattern RE2 rejects is named with the file and its ord.
 */
const AGENTS = [
  'aws-cli/2.15.0 Python/3.11.6 Linux/5.10 exec-env/GitHubActions md/command#s3.ls',
  '[aws-cli/1.18.136 Python/3.8.5 Linux/4.14 botocore/1.17.59]',
  'Boto3/1.34.0 md/Botocore#1.34.0 ua/2.0 os/linux lang/python#3.12 x-client-framework:langchain-aws',
  'APN/1.0 HashiCorp/1.0 Terraform/1.6.0 (+https://www.terraform.io) terraform-provider-aws/5.30.0',
  'console.amazonaws.com', '[S3Console/0.4, aws-internal/3 aws-sdk-java/1.12.488]',
  'python-requests/2.31.0', 'curl/8.4.0', 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7)',
  'aws-sdk-js/3.400.0 ua/2.0 os/darwin lang/js md/nodejs#20.10.0 api/bedrock-runtime#3.400.0 m/E,J',
  'strands-agents 1.0 Boto3/1.35', 'something nobody has seen',
];

async function storeWith(agents: readonly string[]): Promise<Store> {
  const store = await Store.open(':memory:');
  for (const ua of agents) await store.run('INSERT INTO cloudtrail_events (user_agent, event_count) VALUES ($u, 1)', { u: ua });
  return store;
}

const objects = (names: string[]) => builtinModel().filter((o) => names.includes(o.meta.name));

describe('matches: ua_signature_hits', () => {
  it('holds exactly the pairs a regexp join gives', async () => {
    const store = await storeWith(AGENTS);
    try {
      await buildModel(store, objects(['ua_signatures', 'ua_signature_hits']));
      const pairs = async (sql: string) => (await store.all<{ p: string }>(`SELECT user_agent || ' #' || ord AS p FROM (${sql}) ORDER BY ALL`)).map((r) => r.p);
      const hits = await pairs('SELECT user_agent, ord FROM ua_signature_hits');
      const joined = await pairs(`SELECT u.user_agent, s.ord FROM (SELECT DISTINCT user_agent, regexp_replace(user_agent, '^\\[(.*)\\]$', '\\1') AS ua FROM cloudtrail_events) u
        JOIN ua_signatures s ON regexp_matches(u.ua, s.pattern)`);
      expect(hits).toEqual(joined);
      expect(hits.length).toBeGreaterThan(AGENTS.length);
      // the bracketed S3 data-event agent is matched without its brackets (^aws-cli/ is anchored)
      expect(hits.some((p) => p.startsWith('[aws-cli/1.18.136'))).toBe(true);
      expect(hits.some((p) => p.startsWith('something nobody'))).toBe(false);
    } finally {
      store.close();
    }
  });

  it('a pattern RE2 rejects is named with its file and ord', async () => {
    const store = await storeWith(AGENTS.slice(0, 2));
    try {
      await buildModel(store, objects(['ua_signatures']));
      await store.run(`INSERT INTO ua_signatures (ord, pattern, family, kind, label, strength) VALUES (999, '(unclosed', 'x', 'x', 'x', 'x')`);
      await expect(buildModel(store, objects(['ua_signature_hits']))).rejects.toThrow(/reference\/ua-signatures\.csv: pattern 999 \(\(unclosed\)/);
    } finally {
      store.close();
    }
  });
});
