/**
 * The real Trino test server (.ci/trino/start.sh: Trino server-core + Hive connector from Maven Central, a
 * single-node coordinator, Hive catalog `hive` over the local file system with a file metastore), and a CloudTrail
 * table of the standard Athena shape over a folder of trail files.
 *
 * No test skips when Trino is missing: `ensureTrino` starts it (downloading and caching it on first use) or fails.
 */
import { execFile } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { Trino, type QueryResult } from 'trino-client';

const run = promisify(execFile);
const repo = resolve(import.meta.dirname, '../..');

/** Port of the test server (SHADOWSCAN_TRINO_PORT, default 18089, as in start.sh). */
export const TRINO_URL = `http://127.0.0.1:${process.env['SHADOWSCAN_TRINO_PORT'] ?? '18089'}`;

async function ready(): Promise<boolean> {
  try {
    const res = await fetch(`${TRINO_URL}/v1/info`, { signal: AbortSignal.timeout(2000) });
    return res.ok && !(await res.json() as { starting: boolean }).starting;
  } catch {
    return false;
  }
}

/** Start the test server unless it answers; resolves with what start.sh said (incl. the start time). */
export async function ensureTrino(): Promise<string> {
  if (await ready()) return `trino already running on ${TRINO_URL}`;
  try {
    const { stdout } = await run('bash', [join(repo, '.ci/trino/start.sh'), '--wait', '600'], { timeout: 900_000, maxBuffer: 8 << 20 });
    return stdout.trim();
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    throw new Error(`the Trino test server could not be started (.ci/trino/start.sh): ${err.stderr ?? err.message}`);
  }
}

/** Run statements on the test server; rows of the last one. */
export async function trinoSql(...statements: string[]): Promise<unknown[][]> {
  const client = Trino.create({ server: TRINO_URL, catalog: 'hive', source: 'shadowscan-test' });
  let rows: unknown[][] = [];
  for (const sql of statements) {
    rows = [];
    const it = await client.query({ query: sql, user: 'shadowscan-test' });
    for await (const page of it as AsyncIterable<QueryResult>) {
      if (page.error) throw new Error(`Trino: ${page.error.message}\n  in: ${sql.slice(0, 200)}`);
      if (page.data) rows.push(...page.data);
    }
  }
  return rows;
}

/** One CloudTrail record as AWS's documented Athena table has it (field names lower case, bodies as JSON text). */
export const ATHENA_CLOUDTRAIL_RECORD = `row(eventversion varchar,
  useridentity row(type varchar, principalid varchar, arn varchar, accountid varchar, invokedby varchar, accesskeyid varchar, username varchar,
    onbehalfof row(userid varchar, identitystorearn varchar),
    sessioncontext row(attributes row(mfaauthenticated varchar, creationdate varchar),
      sessionissuer row(type varchar, principalid varchar, arn varchar, accountid varchar, username varchar),
      ec2roledelivery varchar, webidfederationdata row(federatedprovider varchar, attributes map(varchar, varchar)))),
  eventtime varchar, eventsource varchar, eventname varchar, awsregion varchar, sourceipaddress varchar, useragent varchar,
  errorcode varchar, errormessage varchar, requestparameters varchar, responseelements varchar, additionaleventdata varchar,
  requestid varchar, eventid varchar, readonly varchar, resources array(row(arn varchar, accountid varchar, type varchar)),
  eventtype varchar, apiversion varchar, recipientaccountid varchar, serviceeventdetails varchar, sharedeventid varchar,
  vpcendpointid varchar, vpcendpointaccountid varchar, eventcategory varchar,
  addendum row(reason varchar, updatedfields varchar, originalrequestid varchar, originaleventid varchar),
  sessioncredentialfromconsole varchar, edgedevicedetails varchar,
  tlsdetails row(tlsversion varchar, ciphersuite varchar, clientprovidedhostheader varchar))`.replace(/\s+/g, ' ');

const FIELDS = ['eventversion', 'useridentity', 'eventtime', 'eventsource', 'eventname', 'awsregion', 'sourceipaddress', 'useragent',
  'errorcode', 'errormessage', 'requestparameters', 'responseelements', 'additionaleventdata', 'requestid', 'eventid', 'readonly',
  'resources', 'eventtype', 'apiversion', 'recipientaccountid', 'serviceeventdetails', 'sharedeventid', 'vpcendpointid',
  'vpcendpointaccountid', 'eventcategory', 'addendum', 'sessioncredentialfromconsole', 'edgedevicedetails', 'tlsdetails'];

/** Day folders of a trail below `awsLogs`: …/<account>/CloudTrail/<region>/<yyyy>/<mm>/<dd>. */
function dayFolders(awsLogs: string): { dir: string; account: string; region: string; day: string }[] {
  const out: { dir: string; account: string; region: string; day: string }[] = [];
  const walk = (dir: string, parts: string[]): void => {
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      if (!statSync(p).isDirectory()) continue;
      const next = [...parts, name];
      const i = next.lastIndexOf('CloudTrail');
      if (i > 0 && next.length === i + 5) out.push({ dir: p, account: next[i - 1]!, region: next[i + 1]!, day: next.slice(i + 2).join('/') });
      else walk(p, next);
    }
  };
  walk(awsLogs, []);
  return out.sort((a, b) => a.dir.localeCompare(b.dir));
}

/**
 * Expose the trail files below `awsLogs` as `hive.<schema>.cloudtrail_logs`: the standard Athena CloudTrail table's
 * columns, one row per record, partitioned by account, region and `timestamp` (yyyy/MM/dd, as AWS's partition
 * projection names it). Trino reads CloudTrail's `{"Records":[…]}` files with the OpenX JSON format (nested
 * bodies come back as JSON text, as in Athena) into a table of files, and a view unnests the records.
 */
export async function exposeTrail(schema: string, awsLogs: string): Promise<string> {
  const root = resolve(awsLogs);
  await trinoSql(
    `DROP VIEW IF EXISTS hive.${schema}.cloudtrail_logs`,
    `DROP TABLE IF EXISTS hive.${schema}.trail_files`,
    `CREATE SCHEMA IF NOT EXISTS hive.${schema}`,
    `CREATE TABLE hive.${schema}.trail_files (records array(${ATHENA_CLOUDTRAIL_RECORD}), account varchar, region varchar, "timestamp" varchar)
      WITH (format = 'OPENX_JSON', external_location = 'local://${root}', partitioned_by = ARRAY['account', 'region', 'timestamp'])`,
    ...dayFolders(root).map((f) => `CALL hive.system.register_partition('${schema}', 'trail_files', ARRAY['account', 'region', 'timestamp'],
      ARRAY['${f.account}', '${f.region}', '${f.day}'], 'local://${f.dir}')`),
    `CREATE VIEW hive.${schema}.cloudtrail_logs AS SELECT ${FIELDS.join(', ')}, account, region, "timestamp"
      FROM hive.${schema}.trail_files CROSS JOIN UNNEST(records)`,
  );
  return `hive.${schema}.cloudtrail_logs`;
}

/** Drop what exposeTrail created (the files stay). */
export async function dropTrail(schema: string): Promise<void> {
  await trinoSql(`DROP VIEW IF EXISTS hive.${schema}.cloudtrail_logs`, `DROP TABLE IF EXISTS hive.${schema}.trail_files`, `DROP SCHEMA IF EXISTS hive.${schema}`);
}
