import { collectAws, type AwsCollectOptions, type AwsCollectResult } from '../connectors/aws/collect.js';
import { Store } from '../store/db.js';
import { UsageError } from '../kernel/errors.js';

/** Options of `shadowscan collect` (and of the collect step of a live `scan`). */
export interface CollectOptions extends AwsCollectOptions {
  /** DuckDB file holding the incremental state (S3 keys + ETags, LookupEvents progress). */
  dbPath: string;
}

/** Collect from live AWS into the offline layout; a usage error when no account is reachable at all. */
export async function runCollect(opts: CollectOptions): Promise<AwsCollectResult> {
  const store = await Store.open(opts.dbPath);
  let result: AwsCollectResult;
  try {
    result = await collectAws(store, opts);
  } finally {
    store.close();
  }
  if (result.accounts.length === 0 && !result.s3?.listed) {
    const why = result.gaps.map((g) => `  ${g.source}: ${g.detail}`).join('\n');
    throw new UsageError(`no AWS account could be read with the given credentials${why ? `\n${why}` : ''}\n` +
      'Check --aws-profile / AWS_PROFILE, `aws sts get-caller-identity`, and the policy in policies/shadowscan-readonly.json.');
  }
  return result;
}
