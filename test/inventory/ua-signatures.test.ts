import { describe, expect, it } from 'vitest';
import { buildModel } from '../../src/model/build.js';
import { builtinModel } from '../../src/model/loader.js';
import { Store } from '../../src/store/db.js';

// Real user-agent strings from ../shared/research/AGENT_SIGNATURES.md (samples and formats it cites),
// parsed by the same SQL the model uses (model/aws/user_agents.sql over the RE2 patterns in reference/ua-signatures.csv).
// The AgentCore starter toolkit deploys agents (an IaC-like deploy tool), it is not one: no agent token.
const CASES: { ua: string; family: string; agent?: string[]; ci?: string[]; tools?: string[]; attack?: string[]; execEnv?: string[]; workstation?: boolean }[] = [
  { ua: 'aws-sdk-js/3.922.0 ua/2.1 os/darwin#24.6.0 lang/js md/nodejs#22.19.0 api/bedrock-runtime#3.922.0 m/E,e app/RooCode#3.30.1', family: 'js-sdk', agent: ['Roo Code'] },
  { ua: 'RooCode/3.28.0 m/E,e', family: 'llm-client', agent: ['Roo Code'] },
  { ua: 'aws-sdk-js/3.901.0 ua/2.1 os/win32#10.0.26100 lang/js md/nodejs#20.19.0 api/sts#3.901.0 m/E app/cline#3.32.5', family: 'js-sdk', agent: ['Cline'], workstation: true },
  { ua: 'aws-sdk-nodejs/2.1692.0 linux/v20.19.0 configure-aws-credentials-for-github-actions promise', family: 'js-sdk', ci: ['GitHub Actions'] },
  { ua: 'aws-sdk-js/3.920.0 ua/2.1 os/linux#6.11.0-1018-azure lang/js md/nodejs#20.19.5 api/sts#3.920.0 m/N,e exec-env/GitHubActions configure-aws-credentials-for-github-actions md/action#__aws-actions_configure-aws-credentials md/run_id#18800000001 md/attempt#1', family: 'js-sdk', ci: ['GitHub Actions'] },
  { ua: 'aws-cli/2.31.18 md/awscrt#0.27.6 ua/2.1 os/linux#6.8.0-1040-aws md/arch#x86_64 lang/python#3.13.7 md/pyimpl#CPython m/AN,E,g cfg/retry-mode#standard md/installer#exe md/prompt#off md/command#s3.ls', family: 'aws-cli', agent: ['AWS CLI run by Claude Code'] },
  { ua: 'aws-cli/2.31.20 md/awscrt#0.27.6 ua/2.1 os/macos#25.0.0 md/arch#arm64 lang/python#3.13.7 md/pyimpl#CPython m/E,n,AW cfg/retry-mode#standard md/installer#exe md/prompt#off md/command#sts.get-caller-identity', family: 'aws-cli', agent: ['AWS CLI run by Cursor agent'] },
  { ua: 'aws-cli/2.31.20 md/awscrt#0.27.6 ua/2.1 os/linux#6.1 md/arch#x86_64 lang/python#3.13.7 md/pyimpl#CPython m/AQ cfg/retry-mode#standard md/installer#exe md/prompt#off md/command#ec2.describe-instances', family: 'aws-cli', agent: ['AWS CLI run by Kiro'] },
  { ua: 'aws-cli/2.27.31 md/awscrt#0.26.1 ua/2.1 os/linux#6.8.0 md/arch#x86_64 lang/python#3.13.4 md/pyimpl#CPython exec-env/AmazonQ-For-CLI-Version-1.12.1 m/E cfg/retry-mode#standard md/installer#exe md/prompt#off md/command#s3.ls', family: 'aws-cli', agent: ['Amazon Q Developer CLI'] },
  { ua: 'Boto3/1.40.70 md/Botocore#1.40.70 ua/2.1 os/linux#6.1.155 md/arch#aarch64 lang/python#3.12.12 md/pyimpl#CPython m/z,D cfg/retry-mode#standard strands-agents', family: 'boto3', agent: ['Strands Agents'], workstation: false },
  { ua: 'Boto3/1.40.61 md/Botocore#1.40.61 ua/2.1 os/linux#6.8.0-87-generic md/arch#x86_64 lang/python#3.12.3 md/pyimpl#CPython m/D,n cfg/retry-mode#legacy x-client-framework:langchain-aws', family: 'boto3', agent: ['AI framework (x-client-framework)', 'LangChain (langchain-aws)'] },
  { ua: 'Boto3/1.40.61 md/Botocore#1.40.61 ua/2.1 os/linux#6.8.0 md/arch#x86_64 lang/python#3.12.3 md/pyimpl#CPython cfg/retry-mode#legacy x-client-framework:langgraph-checkpoint-aws md/sdk_user_agent/LangGraphCheckpointAWS#1.0.0', family: 'boto3', agent: ['AI framework (x-client-framework)', 'LangGraph'] },
  { ua: 'Boto3/1.39.17 md/Botocore#1.39.17 ua/2.1 os/linux#5.10 md/arch#x86_64 lang/python#3.11.14 md/pyimpl#CPython exec-env/AWS_ECS_FARGATE m/z,D cfg/retry-mode#legacy x-client-framework:llama_index', family: 'boto3', agent: ['AI framework (x-client-framework)', 'LlamaIndex'] },
  { ua: 'Boto3/1.40.70 md/Botocore#1.40.70 ua/2.1 os/linux#6.1.155 md/arch#aarch64 lang/python#3.12.12 md/pyimpl#CPython m/z cfg/retry-mode#legacy bedrock-agentcore/0.1.7 (integration_source=strands)', family: 'boto3', agent: ['Bedrock AgentCore SDK'] },
  { ua: 'Boto3/1.40.50 md/Botocore#1.40.50 ua/2.1 os/macos#24.5.0 md/arch#arm64 lang/python#3.12.11 md/pyimpl#CPython m/n,D cfg/retry-mode#legacy agentcore-st/0.1.12', family: 'agentcore-toolkit', agent: [], workstation: true },
  { ua: 'Boto3/1.40.40 md/Botocore#1.40.40 ua/2.1 os/linux#6.1 md/arch#x86_64 lang/python#3.12.3 md/pyimpl#CPython cfg/retry-mode#standard md/awslabs#mcp#aws-api-mcp-server#1.0.3', family: 'boto3', agent: ['AWS Labs MCP server'] },
  { ua: 'Boto3/1.40.40 md/Botocore#1.40.40 ua/2.1 os/linux#6.1 md/arch#x86_64 lang/python#3.12.3 md/pyimpl#CPython m/3,g cfg/retry-mode#standard', family: 'boto3', agent: ['Bedrock API key from AWS_BEARER_TOKEN_BEDROCK'] },
  { ua: 'AnthropicBedrock/Python 0.69.0', family: 'llm-client', agent: ['Anthropic SDK (Bedrock)'] },
  { ua: 'AsyncAnthropicBedrock/Python 0.69.0', family: 'llm-client', agent: ['Anthropic SDK (Bedrock)'] },
  { ua: 'ai-sdk/amazon-bedrock/3.0.44 runtime/node.js/22', family: 'llm-client', agent: ['Vercel AI SDK'] },
  { ua: 'litellm/1.77.7', family: 'llm-client', agent: ['LiteLLM / OpenAI Agents SDK'] },
  { ua: 'TruffleHog', family: 'other', tools: ['TruffleHog secret verification'] },
  // Real-world corpus (fixtures/realworld): bracketed S3 data-event agents, CloudShell, legacy desktop forms, other real clients, attack tools.
  { ua: '[aws-cli/1.18.136 Python/3.8.5 Darwin/19.5.0 botocore/1.17.59]', family: 'aws-cli', workstation: true },
  { ua: '[S3Console/0.4, aws-internal/3 aws-sdk-java/1.12.488 Linux/5.10.219-186.866.amzn2int.x86_64 OpenJDK_64-Bit_Server_VM/25.372-b08 java/1.8.0_372 vendor/Oracle_Corporation cfg/retry-mode/standard]', family: 'console' },
  { ua: '[Boto3/1.34.11 md/Botocore#1.34.11 ua/2.0 os/linux#5.15.0 md/arch#x86_64 lang/python#3.11.6 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.34.11]', family: 'boto3', workstation: false },
  { ua: 'aws-cli/2.15.30 Python/3.11.8 Linux/6.1.79-99.167.amzn2023.x86_64 exec-env/CloudShell exe/x86_64.amzn.2023 prompt/off command/s3.ls', family: 'console', execEnv: [] },
  { ua: 'aws-cli/1.16.19 Python/2.7.10 Darwin/17.7.0 botocore/1.12.9', family: 'aws-cli', workstation: true },
  { ua: 'aws-sdk-go/1.30.7 (go1.14; darwin; amd64)', family: 'go-sdk', workstation: true },
  { ua: 'aws-cli/1.18.69 Python/3.8.3 Windows/10 botocore/1.17.0', family: 'aws-cli', workstation: true },
  { ua: 'aws-sdk-nodejs/2.814.0 darwin/v14.15.1 promise', family: 'js-sdk', workstation: true },
  { ua: 'rusoto/0.47.0 rust/1.56.0 linux', family: 'rust-rusoto' },
  { ua: 'aws-sdk-go/1.55.5 (go1.22.7; linux; amd64) amazon-ssm-agent/', family: 'go-sdk', execEnv: ['amazon-ssm-agent (AWS Systems Manager agent on a managed instance)'], workstation: false },
  { ua: 'Coral/Netty4', family: 'aws-internal' },
  { ua: 'stratus-red-team_6bf00313-712c-4fd2-9bdd-88f48a4b1282', family: 'other', attack: ['Stratus Red Team (attack simulation)'], tools: ['Stratus Red Team (attack simulation)'] },
  { ua: 'Boto3/1.26.0 Python/3.10 Linux/5.15 Botocore/1.29.0 Pacu/1.5.0', family: 'boto3', attack: ['Pacu (AWS exploitation framework)'] },
  // Look-alikes: plain SDK/CLI use carries no agent token (m/ codes of other features, boto3 never has AN…AW).
  { ua: 'aws-cli/2.31.12 md/awscrt#0.27.6 ua/2.1 os/macos#24.6.0 md/arch#arm64 lang/python#3.13.7 md/pyimpl#CPython m/E,n cfg/retry-mode#standard md/installer#exe', family: 'aws-cli', agent: [] },
  { ua: 'Boto3/1.38.36 md/Botocore#1.38.36 ua/2.1 os/linux#5.10 md/arch#x86_64 lang/python#3.12.11 md/pyimpl#CPython exec-env/AWS_Lambda_python3.12 m/D,g cfg/retry-mode#legacy', family: 'boto3', agent: [] },
  { ua: 'APN/1.0 HashiCorp/1.0 Terraform/1.13.3 (+https://www.terraform.io) terraform-provider-aws/6.14.1 (+https://registry.terraform.io/providers/hashicorp/aws) aws-sdk-go-v2/1.39.0 ua/2.1 os/linux lang/go#1.24.6 md/GOOS#linux md/GOARCH#amd64 api/sts#1.38.5 m/C,N', family: 'terraform', agent: [] },
  { ua: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Safari/537.36', family: 'console', agent: [] },
];

describe('user-agent signatures against real strings (AGENT_SIGNATURES.md)', () => {
  it('finds every framework token, agentic-caller code and CI marker, and nothing on plain SDK use', async () => {
    const store = await Store.open(':memory:');
    try {
      for (const c of CASES) await store.run('INSERT INTO cloudtrail_events (user_agent) VALUES ($u)', { u: c.ua });
      // The reference tables it reads, then user_agents itself, as the model builds them.
      await buildModel(store, builtinModel().filter((o) => ['ua_signatures', 'ua_kinds', 'ua_signature_hits', 'user_agents'].includes(o.meta.name)));
      const rows = await store.all<{ user_agent: string; family: string; family_kind: string; agent_tokens: string[]; ci: string[]; tools: string[]; attack_tools: string[]; exec_env: string[]; workstation: boolean }>('SELECT * FROM user_agents');
      const byUa = new Map(rows.map((r) => [r.user_agent, r]));
      for (const c of CASES) {
        const r = byUa.get(c.ua);
        expect(r, c.ua).toBeDefined();
        expect(r?.family, c.ua).toBe(c.family);
        if (c.agent) expect([...(r?.agent_tokens ?? [])].sort(), c.ua).toEqual([...c.agent].sort());
        if (c.ci) expect(r?.ci, c.ua).toEqual(c.ci);
        if (c.tools) expect(r?.tools, c.ua).toEqual(c.tools);
        if (c.attack) expect(r?.attack_tools, c.ua).toEqual(c.attack);
        if (c.execEnv) expect(r?.exec_env, c.ua).toEqual(c.execEnv);
        if (c.workstation !== undefined) expect(r?.workstation, c.ua).toBe(c.workstation);
        if (c.family === 'agentcore-toolkit') expect(r?.family_kind, c.ua).toBe('iac');
      }
    } finally {
      store.close();
    }
  });
});
