/**
 * Secrets in their real formats (lengths, alphabets, prefixes as the issuers document them), built
 * at run time so no token-shaped literal sits in the repository. Each has a `needle` (the secret
 * itself) and the contexts it is found in in the wild: user agents, tag values, request bodies, env lines.
 */

/** Deterministic characters of an alphabet (no randomness: failures reproduce). */
function chars(alphabet: string, n: number, seed: number): string {
  let out = '';
  let x = seed;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) % 2147483648;
    out += alphabet[x % alphabet.length];
  }
  return out;
}
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const B64 = ALNUM + '+/';
const URLSAFE = ALNUM + '_-';

export interface PlantedSecret {
  id: string;
  needle: string;
  /** Text that carries the secret, as each source would. */
  contexts: string[];
}

const awsSecret = 'wJalrXUtnFEMI/K7MDENG/' + chars(B64, 18, 1);
const sessionToken = 'IQoJb3JpZ2luX2VjE' + chars(B64, 340, 2) + '==';
const password = 'Pl4nted-' + chars(ALNUM, 12, 3) + '!';
const ghp = 'ghp_' + chars(ALNUM, 36, 4);
const gho = 'gho_' + chars(ALNUM, 36, 5);
const ghs = 'ghs_' + chars(ALNUM, 36, 6);
const githubPat = 'github_pat_11' + chars(ALNUM, 20, 7) + '_' + chars(ALNUM, 59, 8);
const openaiLegacy = 'sk-' + chars(ALNUM, 48, 9);
const openaiProject = 'sk-proj-' + chars(URLSAFE, 156, 10);
const anthropic = 'sk-ant-api03-' + chars(URLSAFE, 93, 11) + 'AA';
const slackBot = 'xoxb-' + chars('0123456789', 13, 12) + '-' + chars('0123456789', 13, 13) + '-' + chars(ALNUM, 24, 14);
const slackUser = 'xoxp-' + chars('0123456789', 12, 15) + '-' + chars('0123456789', 12, 16) + '-' + chars('0123456789', 13, 17) + '-' + chars('0123456789abcdef', 32, 18);
const bedrock = 'ABSK' + chars(B64, 128, 19);
const google = 'AIza' + chars(URLSAFE, 35, 20);
const hf = 'hf_' + chars(ALNUM, 34, 21);
const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJ' + chars(URLSAFE, 120, 22) + '.' + chars(URLSAFE, 86, 23);
const pemBody = chars(B64, 64, 24);
const clientSecret = chars(ALNUM, 40, 25) + 'x';

/** Every planted format. */
export const PLANTED_SECRETS: PlantedSecret[] = [
  { id: 'aws-secret-access-key', needle: awsSecret, contexts: [
    `aws-cli/2.15.30 Python/3.11.8 key=${awsSecret} command/s3.ls`,
    `aws_secret_access_key=${awsSecret}`,
    `{"SecretAccessKey":"${awsSecret}"}`,
    `secret: ${awsSecret}`,
  ] },
  { id: 'aws-session-token', needle: sessionToken, contexts: [
    `{"credentials":{"accessKeyId":"ASIAY34FZKBOKMUTVV7A","sessionToken":"${sessionToken}","expiration":"Nov 19, 2026, 1:00:00 PM"}}`,
    `export AWS_SESSION_TOKEN=${sessionToken}`,
    `token in a note: ${sessionToken}`,
  ] },
  { id: 'password', needle: password, contexts: [
    `{"userName":"ci","password":"${password}"}`,
    `{"MasterUserPassword":"${password}","DBInstanceIdentifier":"db1"}`,
    `db_password=${password}`,
  ] },
  { id: 'github-classic-pat', needle: ghp, contexts: [`GITHUB_TOKEN=${ghp}`, `note ${ghp} here`] },
  { id: 'github-oauth', needle: gho, contexts: [`Authorization: token ${gho}`, `use ${gho}`] },
  { id: 'github-app-installation', needle: ghs, contexts: [`git clone https://x-access-token:${ghs}@github.com/org/repo`, `${ghs}`] },
  { id: 'github-fine-grained-pat', needle: githubPat, contexts: [`owner: ${githubPat}`] },
  { id: 'openai-legacy', needle: openaiLegacy, contexts: [`OPENAI_API_KEY=${openaiLegacy}`, `key ${openaiLegacy}`] },
  { id: 'openai-project', needle: openaiProject, contexts: [`curl -H "Authorization: Bearer ${openaiProject}"`, `${openaiProject}`] },
  { id: 'anthropic', needle: anthropic, contexts: [`x-api-key: ${anthropic}`, `team: ${anthropic}`] },
  { id: 'slack-bot', needle: slackBot, contexts: [`SLACK_BOT=${slackBot}`, `notify ${slackBot}`] },
  { id: 'slack-user', needle: slackUser, contexts: [`${slackUser}`] },
  { id: 'bedrock-api-key', needle: bedrock, contexts: [`AWS_BEARER_TOKEN_BEDROCK=${bedrock}`, `${bedrock}`] },
  { id: 'google-api-key', needle: google, contexts: [`https://maps.googleapis.com/api?key=${google}`, `${google}`] },
  { id: 'huggingface', needle: hf, contexts: [`HF_TOKEN=${hf}`, `${hf}`] },
  { id: 'jwt', needle: jwt, contexts: [`{"webIdentityToken":"${jwt}"}`, `${jwt}`] },
  { id: 'client-secret', needle: clientSecret, contexts: [`client_secret=${clientSecret}`, `{"clientSecret":"${clientSecret}"}`] },
  { id: 'private-key', needle: pemBody, contexts: [`-----BEGIN RSA PRIVATE KEY-----\n${pemBody}\n-----END RSA PRIVATE KEY-----`] },
];

/** Every needle, for searching outputs. */
export const PLANTED_NEEDLES: string[] = PLANTED_SECRETS.map((s) => s.needle);

/** Needles found in `text` (by id). */
export function plantedIn(text: string): string[] {
  return PLANTED_SECRETS.filter((s) => text.includes(s.needle)).map((s) => s.id);
}
