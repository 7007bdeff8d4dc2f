/** The live-AWS source flags shared by `collect` and `scan` (same flags, same meaning). */
import { type Command, Option } from 'commander';
import { DEFAULT_ROLE_NAME } from '../connectors/aws/accounts.js';
import type { AwsCollectOptions } from '../connectors/aws/collect.js';
import { UsageError } from '../kernel/errors.js';

/** Parsed source flags. */
export interface AwsSourceFlags {
  awsProfile: string[];
  org?: boolean;
  roleName: string;
  externalId?: string;
  accounts?: string;
  regions?: string;
  cloudtrailBucket?: string;
  cloudtrailProfile?: string;
  cloudtrailApi?: boolean;
}

const collectList = (v: string, prev: string[]): string[] => [...prev, v];

/** Add the AWS source flags to a command. */
export function addAwsSourceOptions(cmd: Command): Command {
  return cmd
    .option('--aws-profile <name>', 'AWS profile to read with (repeatable; default: the SDK default credential chain); its config-file region is used unless AWS_REGION is set', collectList, [])
    .option('--org', 'every active account of the AWS Organization (ListAccounts), assuming --role-name in each')
    .option('--role-name <name>', 'role to assume in member accounts with --org', DEFAULT_ROLE_NAME)
    .option('--external-id <id>', 'external id the member-account role requires, if any')
    .option('--accounts <ids>', 'only these account ids (comma-separated)')
    .option('--regions <list>', 'only these regions (comma-separated; default: every enabled region of each account)')
    .option('--cloudtrail-bucket <s3url>', 'CloudTrail S3 archive, s3://bucket/prefix (single-account or organization trail)')
    .option('--cloudtrail-profile <name>', 'AWS profile that can read the trail bucket, e.g. the log-archive account (default: the first --aws-profile, else the default chain)')
    .addOption(new Option('--cloudtrail-api', 'read management events with CloudTrail LookupEvents in every region (accounts without a trail)'));
}

/** True when any live source flag was given. */
export function hasAwsSourceFlags(f: AwsSourceFlags): boolean {
  return f.awsProfile.length > 0 || Boolean(f.org || f.accounts || f.regions || f.cloudtrailBucket || f.cloudtrailProfile || f.cloudtrailApi || f.externalId);
}

function list(flag: string, v: string | undefined, re: RegExp, what: string): string[] | undefined {
  if (v === undefined) return undefined;
  const items = v.split(',').map((s) => s.trim()).filter(Boolean);
  const bad = items.filter((i) => !re.test(i));
  if (items.length === 0 || bad.length > 0) throw new UsageError(`${flag} ${v}: expected ${what}${bad.length ? ` (not: ${bad.join(', ')})` : ''}`);
  return items;
}

/** Source flags → collector options (validated; errors name the flag). */
export function awsSourceOptions(f: AwsSourceFlags): Pick<AwsCollectOptions, 'profiles' | 'org' | 'roleName' | 'externalId' | 'accounts' | 'regions' | 'cloudtrailBucket' | 'cloudtrailProfile' | 'cloudtrailApi'> {
  const accounts = list('--accounts', f.accounts, /^\d{12}$/, 'comma-separated 12-digit account ids');
  const regions = list('--regions', f.regions, /^[a-z]{2}(-[a-z]+)+-\d$/, 'comma-separated region names, e.g. us-east-1,eu-west-1');
  if (f.cloudtrailProfile && !f.cloudtrailBucket) throw new UsageError('--cloudtrail-profile needs --cloudtrail-bucket');
  if (!/^[\w+=,.@/-]{1,64}$/.test(f.roleName)) throw new UsageError(`--role-name ${f.roleName}: not a valid IAM role name`);
  return {
    profiles: f.awsProfile,
    org: Boolean(f.org),
    roleName: f.roleName,
    ...(f.externalId ? { externalId: f.externalId } : {}),
    ...(accounts ? { accounts } : {}),
    ...(regions ? { regions } : {}),
    ...(f.cloudtrailBucket ? { cloudtrailBucket: f.cloudtrailBucket } : {}),
    ...(f.cloudtrailProfile ? { cloudtrailProfile: f.cloudtrailProfile } : {}),
    cloudtrailApi: Boolean(f.cloudtrailApi),
  };
}
