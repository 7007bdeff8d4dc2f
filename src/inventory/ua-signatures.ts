/**
 * User-agent signatures, as data (one table, not scattered regexes). Patterns are RE2 (DuckDB
 * `regexp_matches`). Sources and confidence: ../shared/research/AGENT_SIGNATURES.md.
 *
 * kind:
 *   base families (one per UA, first match wins): console, aws-internal, cli, sdk, iac, llm-client, raw-http
 *     (iac includes deploy tools that create agents, e.g. the AgentCore starter toolkit: the program that
 *     made the call deploys an agent, it is not one)
 *   markers (any number per UA): ci, agent-framework, agentic-caller, secret-scanner, attack-tool, exec-env,
 *     workstation (a desktop OS: macOS or Windows)
 */
export interface UaSignature {
  pattern: string;
  family: string;
  kind: UaKind;
  label: string;
  strength: 'strong' | 'medium' | 'weak';
}

export type UaKind =
  | 'console' | 'aws-internal' | 'cli' | 'sdk' | 'iac' | 'llm-client' | 'raw-http'
  | 'ci' | 'agent-framework' | 'agentic-caller' | 'secret-scanner' | 'attack-tool' | 'exec-env' | 'workstation';

/** Kinds that name what program made the call (exactly one per user agent). */
export const BASE_KINDS: readonly UaKind[] = ['console', 'aws-internal', 'cli', 'sdk', 'iac', 'llm-client', 'raw-http'];

const AGENTIC_CALLERS: [string, string][] = [
  ['AN', 'Claude Code'], ['AO', 'Gemini CLI'], ['AP', 'Codex'], ['AQ', 'Kiro'], ['AR', 'OpenCode'],
  ['AS', 'Antigravity'], ['AT', 'Amp'], ['AU', 'Pi'], ['AV', 'GitHub Copilot CLI'], ['AW', 'Cursor agent'],
];

/** Ordered: within base kinds the first match is the family. */
export const UA_SIGNATURES: readonly UaSignature[] = [
  // --- base families, most specific first ---
  { pattern: String.raw`^(console\.[a-z0-9.]*amazonaws\.com|signin\.amazonaws\.com|Mozilla/)`, family: 'console', kind: 'console', label: 'AWS console / browser', strength: 'strong' },
  { pattern: String.raw`^\[?[A-Za-z0-9]+Console/|EC2ConsoleFrontend|exec-env/CloudShell`, family: 'console', kind: 'console', label: 'AWS console / CloudShell', strength: 'strong' },
  { pattern: String.raw`^(AWS Internal|aws-internal|[a-z0-9-]+\.amazonaws\.com$)`, family: 'aws-internal', kind: 'aws-internal', label: 'AWS service (internal)', strength: 'strong' },
  { pattern: String.raw`(^|\s)APN/1\.0 HashiCorp/1\.0 Terraform/|terraform-provider-aws/`, family: 'terraform', kind: 'iac', label: 'Terraform AWS provider', strength: 'strong' },
  { pattern: String.raw`(^|\s)(Pulumi|pulumi)/|aws-cdk/|CDK-Toolkit|cloudformation\.amazonaws\.com`, family: 'iac-other', kind: 'iac', label: 'Pulumi / CDK / CloudFormation', strength: 'strong' },
  // The `agentcore` CLI (boto3 underneath) creates roles, ECR repositories and agent runtimes: a deploy tool.
  { pattern: String.raw`agentcore-st/\S+|bedrock-agentcore-starter-toolkit`, family: 'agentcore-toolkit', kind: 'iac', label: 'AgentCore starter toolkit (deploys agent runtimes)', strength: 'strong' },
  { pattern: String.raw`^aws-cli/`, family: 'aws-cli', kind: 'cli', label: 'AWS CLI', strength: 'strong' },
  { pattern: String.raw`^(Boto3|Botocore|botocore)/`, family: 'boto3', kind: 'sdk', label: 'AWS SDK for Python (boto3)', strength: 'strong' },
  { pattern: String.raw`^aws-sdk-js/|^aws-sdk-nodejs/`, family: 'js-sdk', kind: 'sdk', label: 'AWS SDK for JavaScript', strength: 'strong' },
  { pattern: String.raw`^aws-sdk-go(-v2)?/`, family: 'go-sdk', kind: 'sdk', label: 'AWS SDK for Go', strength: 'strong' },
  { pattern: String.raw`^aws-sdk-java/|^aws-sdk-java-v2/|(^|\s)aws-sdk-java/`, family: 'java-sdk', kind: 'sdk', label: 'AWS SDK for Java', strength: 'strong' },
  { pattern: String.raw`^aws-sdk-(dotnet|net)|^aws-sdk-ruby|^aws-sdk-php|^aws-sdk-rust|^aws-sdk-cpp|^aws-sdk-swift|^aws-sdk-kotlin`, family: 'other-sdk', kind: 'sdk', label: 'AWS SDK (other language)', strength: 'strong' },
  { pattern: String.raw`(^|\s)(Async)?AnthropicBedrock/Python|(^|\s)ai-sdk/amazon-bedrock/|^litellm/|^Agents/Python|^RooCode/`, family: 'llm-client', kind: 'llm-client', label: 'LLM client library (own SigV4 signing)', strength: 'strong' },
  { pattern: String.raw`^(Python/\S+ aiohttp/|python-requests/|Go-http-client/|curl/|Java/\d|okhttp/|node-fetch|axios/|undici)`, family: 'raw-http', kind: 'raw-http', label: 'raw HTTP client', strength: 'medium' },

  // --- CI markers ---
  { pattern: String.raw`exec-env/GitHubActions|configure-aws-credentials-for-github-actions|md/run_id[#_]`, family: 'github-actions', kind: 'ci', label: 'GitHub Actions', strength: 'strong' },
  { pattern: String.raw`exec-env/(GitLab|gitlab)|gitlab-ci|GITLAB_CI`, family: 'gitlab-ci', kind: 'ci', label: 'GitLab CI', strength: 'medium' },
  { pattern: String.raw`exec-env/(CircleCI|circleci)|circleci`, family: 'circleci', kind: 'ci', label: 'CircleCI', strength: 'medium' },
  { pattern: String.raw`exec-env/(Jenkins|jenkins)|(^|\s)Jenkins/|jenkins-pipeline`, family: 'jenkins', kind: 'ci', label: 'Jenkins', strength: 'medium' },
  { pattern: String.raw`exec-env/(AWS_CodeBuild|CodeBuild)|codebuild`, family: 'codebuild', kind: 'ci', label: 'AWS CodeBuild', strength: 'medium' },
  { pattern: String.raw`exec-env/(BITBUCKET|Bitbucket)|bitbucket-pipelines|exec-env/(TFC|TerraformCloud|spacelift|env0|Atlantis)|(^|\s)atlantis/`, family: 'other-ci', kind: 'ci', label: 'CI/CD system', strength: 'medium' },

  // --- AI-agent framework tokens ---
  { pattern: String.raw`x-client-framework:langchain-aws|md/sdk_user_agent/LangChainAWS#|(^|\s)langchain/\d`, family: 'langchain', kind: 'agent-framework', label: 'LangChain (langchain-aws)', strength: 'strong' },
  { pattern: String.raw`x-client-framework:langgraph[-_][a-z_-]+|LangGraphCheckpointAWS#`, family: 'langgraph', kind: 'agent-framework', label: 'LangGraph', strength: 'strong' },
  { pattern: String.raw`x-client-framework:llama_index`, family: 'llama-index', kind: 'agent-framework', label: 'LlamaIndex', strength: 'strong' },
  { pattern: String.raw`x-client-framework:semantic-kernel`, family: 'semantic-kernel', kind: 'agent-framework', label: 'Semantic Kernel', strength: 'strong' },
  { pattern: String.raw`x-client-framework:haystack`, family: 'haystack', kind: 'agent-framework', label: 'Haystack', strength: 'strong' },
  { pattern: String.raw`x-client-framework:[A-Za-z0-9_.-]+`, family: 'x-client-framework', kind: 'agent-framework', label: 'AI framework (x-client-framework)', strength: 'medium' },
  { pattern: String.raw`(^|\s)strands-agents(\s|$)`, family: 'strands', kind: 'agent-framework', label: 'Strands Agents', strength: 'strong' },
  { pattern: String.raw`bedrock-agentcore/\S+`, family: 'agentcore', kind: 'agent-framework', label: 'Bedrock AgentCore SDK', strength: 'strong' },
  { pattern: String.raw`md/awslabs#mcp#[a-z0-9-]+#|awslabs[/-]mcp[/-][a-z0-9_-]+`, family: 'aws-mcp', kind: 'agent-framework', label: 'AWS Labs MCP server', strength: 'strong' },
  { pattern: String.raw`exec-env/AmazonQ-For-CLI`, family: 'amazon-q', kind: 'agent-framework', label: 'Amazon Q Developer CLI', strength: 'medium' },
  { pattern: String.raw`\bapp/RooCode#|^RooCode/|\bapp/(ZooCode|RooPlus|Jabberwock)#`, family: 'roo-code', kind: 'agent-framework', label: 'Roo Code', strength: 'strong' },
  { pattern: String.raw`\bapp/cline#`, family: 'cline', kind: 'agent-framework', label: 'Cline', strength: 'medium' },
  { pattern: String.raw`(^|\s)(Async)?AnthropicBedrock/Python`, family: 'anthropic-sdk', kind: 'agent-framework', label: 'Anthropic SDK (Bedrock)', strength: 'medium' },
  { pattern: String.raw`ai-sdk/amazon-bedrock/`, family: 'vercel-ai-sdk', kind: 'agent-framework', label: 'Vercel AI SDK', strength: 'medium' },
  { pattern: String.raw`^litellm/|^Agents/Python`, family: 'litellm', kind: 'agent-framework', label: 'LiteLLM / OpenAI Agents SDK', strength: 'medium' },
  { pattern: String.raw`(^|\s)m/[A-Za-z0-9+,-]*\b3\b`, family: 'bedrock-bearer-token', kind: 'agent-framework', label: 'Bedrock API key from AWS_BEARER_TOKEN_BEDROCK', strength: 'medium' },
  // AWS CLI v2 agentic-caller business-metric codes (since 2026-07-15)
  ...AGENTIC_CALLERS.map(([code, name]): UaSignature => ({
    pattern: String.raw`^aws-cli/.*(^|\s)m/([A-Za-z0-9+-]+,)*${code}(,|\s|$)`,
    family: `agentic-caller-${code}`, kind: 'agentic-caller', label: `AWS CLI run by ${name}`, strength: 'strong',
  })),

  // --- secret verification and attack tooling ---
  { pattern: String.raw`(?i)trufflehog`, family: 'trufflehog', kind: 'secret-scanner', label: 'TruffleHog secret verification', strength: 'strong' },
  { pattern: String.raw`(?i)(gitleaks|noseyparker|ggshield)`, family: 'secret-scanner', kind: 'secret-scanner', label: 'secret scanner', strength: 'medium' },
  { pattern: String.raw`stratus-red-team_|exec-env/grimoire_|(?i:pacu|scoutsuite|prowler)`, family: 'attack-tool', kind: 'attack-tool', label: 'attack simulation / audit tool', strength: 'medium' },

  // --- execution environments (automation context) ---
  { pattern: String.raw`exec-env/AWS_Lambda`, family: 'lambda', kind: 'exec-env', label: 'AWS Lambda', strength: 'strong' },
  { pattern: String.raw`exec-env/AWS_ECS|exec-env/AWS_Fargate`, family: 'ecs', kind: 'exec-env', label: 'Amazon ECS', strength: 'strong' },
  { pattern: String.raw`exec-env/[A-Za-z0-9_.-]+`, family: 'exec-env', kind: 'exec-env', label: 'declared execution environment', strength: 'medium' },

  // --- where the program ran: a desktop OS (botocore/CLI/Go `os/macos`, JS v3 `os/darwin`/`os/win32`, Java `Mac_OS_X/`) ---
  { pattern: String.raw`(^|\s)os/(macos|darwin|windows|win32)\b|(^|\s)(Mac_OS_X|Windows_[A-Za-z0-9_]+)/`, family: 'workstation', kind: 'workstation', label: 'desktop OS (macOS / Windows)', strength: 'medium' },
];
