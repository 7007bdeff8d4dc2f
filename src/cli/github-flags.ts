import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { GithubAuthOptions } from '../connectors/github/client.js';
import { tokenFromEnv } from '../connectors/github/client.js';
import type { OrgCollectResult } from '../connectors/github/collect.js';
import { errorMessage, UsageError } from '../kernel/errors.js';

/** The GitHub source flags shared by `collect` and a live `scan`. */
export interface GithubSourceFlags {
  githubOrg: string[];
  githubApiUrl?: string;
  githubAppId?: string;
  githubAppKey?: string;
  githubAppInstallation?: string;
}

const append = (v: string, prev: string[]): string[] => [...prev, v];

/** Add the GitHub source flags to a command. */
export function addGithubSourceOptions(cmd: Command): Command {
  return cmd
    .option('--github-org <org>', 'GitHub org to collect (repeatable); token from GITHUB_TOKEN or GH_TOKEN, or a GitHub App', append, [])
    .option('--github-api-url <url>', 'GitHub REST base URL (GitHub Enterprise Server: https://HOST/api/v3); default: $GITHUB_API_URL, else https://$GH_HOST/api/v3 when GH_HOST names another host than github.com (as gh does), else https://api.github.com')
    .option('--github-app-id <id>', 'authenticate as this GitHub App (required to list fine-grained PAT grants)')
    .option('--github-app-key <file>', 'PEM private key of the GitHub App')
    .option('--github-app-installation <id>', 'installation id of the App (default: looked up per org)');
}

/** True when any GitHub source was asked for. */
export function hasGithubSourceFlags(f: GithubSourceFlags): boolean {
  return (f.githubOrg ?? []).length > 0;
}

/** Auth options from the flags and the environment; usage errors name the flag to fix. */
export function githubAuth(f: GithubSourceFlags, env: NodeJS.ProcessEnv = process.env): GithubAuthOptions {
  const auth: GithubAuthOptions = {};
  const api = githubApiUrl(f, env);
  try {
    new URL(api.url);
  } catch {
    throw new UsageError(`${api.from} ${api.url}: not a URL (GitHub Enterprise Server: https://HOST/api/v3)`);
  }
  auth.baseUrl = api.url;
  if (f.githubAppId || f.githubAppKey) {
    if (!f.githubAppId || !f.githubAppKey) throw new UsageError('--github-app-id and --github-app-key go together');
    let privateKey: string;
    try {
      privateKey = readFileSync(f.githubAppKey, 'utf8');
    } catch (e) {
      throw new UsageError(`--github-app-key ${f.githubAppKey}: cannot read (${errorMessage(e)})`);
    }
    if (!/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(privateKey)) throw new UsageError(`--github-app-key ${f.githubAppKey}: not a PEM private key`);
    const installation = f.githubAppInstallation ? Number(f.githubAppInstallation) : undefined;
    if (installation !== undefined && !Number.isInteger(installation)) throw new UsageError(`--github-app-installation ${f.githubAppInstallation}: expected a number`);
    auth.app = { appId: f.githubAppId, privateKey, ...(installation !== undefined ? { installationId: installation } : {}) };
    return auth;
  }
  const token = tokenFromEnv(env, new URL(api.url).hostname !== 'api.github.com');
  if (!token) throw new UsageError('--github-org needs credentials: set GITHUB_TOKEN (or GH_TOKEN; GH_ENTERPRISE_TOKEN for a GitHub Enterprise Server host), or pass --github-app-id and --github-app-key');
  auth.token = token;
  return auth;
}

/**
 * The REST base URL and where it came from, in gh's order: the flag, `GITHUB_API_URL` (set by GitHub Actions, also on
 * GHES runners), `GH_HOST` (a host name: github.com means api.github.com, any other host its `/api/v3`), the default.
 */
export function githubApiUrl(f: Pick<GithubSourceFlags, 'githubApiUrl'>, env: NodeJS.ProcessEnv = process.env): { url: string; from: string } {
  if (f.githubApiUrl) return { url: f.githubApiUrl.replace(/\/+$/, ''), from: '--github-api-url' };
  const fromEnv = env['GITHUB_API_URL']?.trim();
  if (fromEnv) return { url: fromEnv.replace(/\/+$/, ''), from: 'GITHUB_API_URL' };
  const host = env['GH_HOST']?.trim().replace(/^https?:\/\//, '').replace(/\/+$/, '');
  if (host && host !== 'github.com' && host !== 'api.github.com') return { url: `https://${host}/api/v3`, from: 'GH_HOST' };
  return { url: 'https://api.github.com', from: 'default' };
}

/** One line per org, then the gaps. */
export function githubSummary(results: OrgCollectResult[], outDir: string): string {
  const lines: string[] = [];
  for (const r of results) {
    lines.push(`collected GitHub org ${r.org} into ${outDir}/github/${r.org}: ${r.repos} repositories, ${r.stats.requests} request(s) (${r.stats.notModified} not modified)`);
    if (r.gaps.length > 0) {
      lines.push(`  coverage gaps (${r.gaps.length}):`);
      for (const g of r.gaps.slice(0, 20)) lines.push(`    ${g.endpoint}: ${g.detail}`);
      if (r.gaps.length > 20) lines.push(`    … ${r.gaps.length - 20} more in ${outDir}/github/${r.org}/coverage.json`);
    }
  }
  return lines.join('\n') + '\n';
}
