/**
 * User-agent strings and source networks used by the demo actors. Formats follow
 * /work/shared/research/AGENT_SIGNATURES.md (botocore ua/2.1, JS v3, CLI v2, Terraform, console).
 */

/** boto3 ua/2.1 with optional exec-env, metric codes, retry mode and extras (framework tokens). */
export function boto3(v: string, os: string, arch: string, py: string, tail: string): string {
  return `Boto3/${v} md/Botocore#${v} ua/2.1 os/${os} md/arch#${arch} lang/python#${py} md/pyimpl#CPython ${tail}`;
}

/** AWS CLI v2 with the command lineage (`md/command#<service>.<operation>`). */
export function awsCli(base: string, command: string): string {
  return `${base} md/prompt#off md/command#${command}`;
}

export const UA = {
  // Humans
  chromeMac: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Safari/537.36',
  firefoxWin: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:144.0) Gecko/20100101 Firefox/144.0',
  edgeWin: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Safari/537.36 Edg/142.0.0.0',
  safariMac: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/26.1 Safari/605.1.15',
  awsInternal: 'AWS Internal',
  consoleS3: '[S3Console/0.4, aws-internal/3 aws-sdk-java/1.12.791 Linux/5.10.240-218.959.amzn2int.x86_64 OpenJDK_64-Bit_Server_VM/25.462-b08 java/1.8.0_462 vendor/Oracle_Corporation cfg/retry-mode/standard]',
  consoleHost: 'console.amazonaws.com',
  aliceCli: 'aws-cli/2.31.12 md/awscrt#0.27.6 ua/2.1 os/macos#24.6.0 md/arch#arm64 lang/python#3.13.7 md/pyimpl#CPython m/E,n cfg/retry-mode#standard md/installer#exe',
  daveCli: 'aws-cli/2.30.6 md/awscrt#0.27.6 ua/2.1 os/macos#24.5.0 md/arch#arm64 lang/python#3.13.7 md/pyimpl#CPython m/E,n cfg/retry-mode#standard md/installer#source',
  daveAgentCoreToolkit: boto3('1.40.50', 'macos#24.5.0', 'arm64', '3.12.11', 'm/n,D cfg/retry-mode#legacy agentcore-st/0.1.12'),

  // Agents
  janeLangchain: boto3('1.40.61', 'linux#6.8.0-87-generic', 'x86_64', '3.12.3', 'm/D,n cfg/retry-mode#legacy x-client-framework:langchain-aws'),
  supportAgentLangchain: boto3('1.40.55', 'linux#5.10.240-238.959.amzn2.x86_64', 'x86_64', '3.11.13', 'm/D,g cfg/retry-mode#legacy x-client-framework:langchain-aws'),
  agentCoreStrands: boto3('1.40.70', 'linux#6.1.155', 'aarch64', '3.12.12', 'm/z,D cfg/retry-mode#standard strands-agents'),
  agentCoreMemory: boto3('1.40.70', 'linux#6.1.155', 'aarch64', '3.12.12', 'm/z cfg/retry-mode#legacy bedrock-agentcore/0.1.7 (integration_source=strands)'),
  figmaStrands: boto3('1.40.61', 'linux#6.1.156-177.286.amzn2023.x86_64', 'x86_64', '3.12.12', 'm/0,D cfg/retry-mode#adaptive strands-agents'),
  reportLlamaIndex: boto3('1.39.17', 'linux#5.10.240-238.966.amzn2.x86_64', 'x86_64', '3.11.14', 'exec-env/AWS_ECS_FARGATE m/z,D cfg/retry-mode#legacy x-client-framework:llama_index'),
  reportPlain: boto3('1.39.17', 'linux#5.10.240-238.966.amzn2.x86_64', 'x86_64', '3.11.14', 'exec-env/AWS_ECS_FARGATE m/z,D cfg/retry-mode#legacy'),
  gptNightlyCli: 'aws-cli/2.31.18 md/awscrt#0.27.6 ua/2.1 os/linux#6.8.0-1040-aws md/arch#x86_64 lang/python#3.13.7 md/pyimpl#CPython m/AN,E,g cfg/retry-mode#standard md/installer#exe md/distrib#ubuntu.24',

  // Workloads
  ordersLambda: boto3('1.38.36', 'linux#5.10.240-258.930.amzn2.x86_64', 'x86_64', '3.12.11', 'exec-env/AWS_Lambda_python3.12 m/D,g cfg/retry-mode#legacy'),
  ghaConfigureCreds: (runId: number): string =>
    `aws-sdk-js/3.936.0 ua/2.1 os/linux#6.11.0-1018-azure lang/js md/nodejs#20.19.5 api/sts#3.936.0 exec-env/GitHubActions m/E configure-aws-credentials-for-github-actions md/action#__aws-actions_configure-aws-credentials md/run_id#${runId} md/attempt#1`,
  ciCli: 'aws-cli/2.31.20 md/awscrt#0.27.6 ua/2.1 os/linux#6.11.0-1018-azure md/arch#x86_64 lang/python#3.13.7 md/pyimpl#CPython exec-env/GitHubActions m/E,g cfg/retry-mode#standard md/installer#exe md/distrib#ubuntu.24',
  ghaCli: 'aws-cli/2.31.20 md/awscrt#0.27.6 ua/2.1 os/linux#6.11.0-1018-azure md/arch#x86_64 lang/python#3.13.7 md/pyimpl#CPython m/E,g cfg/retry-mode#standard md/installer#exe md/distrib#ubuntu.24',
  terraform: (api: string): string =>
    `APN/1.0 HashiCorp/1.0 Terraform/1.9.8 (+https://www.terraform.io) terraform-provider-aws/5.84.0 (+https://registry.terraform.io/providers/hashicorp/aws) aws-sdk-go-v2/1.36.1 ua/2.1 os/linux lang/go#1.23.4 md/GOOS#linux md/GOARCH#amd64 api/${api} m/E,g`,
  docker: 'docker/27.5.1 go/go1.22.11 git-commit/4c9b3b0 kernel/6.11.0-1018-azure os/linux arch/amd64 UpstreamClient(Docker-Client/27.5.1 \\(linux\\))',
  codebuildCli: 'aws-cli/2.27.50 md/awscrt#0.26.1 ua/2.1 os/linux#5.10.240-238.959.amzn2.x86_64 md/arch#x86_64 lang/python#3.13.4 md/pyimpl#CPython m/z,E cfg/retry-mode#standard md/installer#exe md/distrib#amzn.2023',
  partnerJava: 'aws-sdk-java/2.28.26 Linux/5.15.0-1071-aws OpenJDK_64-Bit_Server_VM/17.0.12+7-LTS Java/17.0.12 vendor/Amazon.com_Inc. io/sync http/Apache cfg/retry-mode/legacy',
  vendorGo: (api: string): string => `aws-sdk-go-v2/1.36.3 ua/2.1 os/linux lang/go#1.24.1 md/GOOS#linux md/GOARCH#amd64 api/${api} m/E,i`,
  opsBot: boto3('1.37.38', 'linux#6.1.141-155.222.amzn2023.x86_64', 'x86_64', '3.11.13', 'm/g,D cfg/retry-mode#legacy'),
  rotatedSvc: boto3('1.40.45', 'linux#6.1.147-172.266.amzn2023.x86_64', 'x86_64', '3.12.11', 'm/g,D cfg/retry-mode#standard'),
  leakedLegit: 'Boto3/1.34.162 md/Botocore#1.34.162 ua/2.0 os/linux#4.14.355-275.582.amzn2.x86_64 md/arch#x86_64 lang/python#3.8.20 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.34.162',
  pythonRequests: 'python-requests/2.32.3',
  aiohttp: 'Python/3.11 aiohttp/3.9.5',
  truffleHog: 'TruffleHog',

  // data-pipeline-bot: one key, many tools
  dpEc2Boto3: 'Boto3/1.35.99 md/Botocore#1.35.99 ua/2.0 os/linux#5.10.238-231.953.amzn2.x86_64 md/arch#x86_64 lang/python#3.9.23 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.35.99',
  dpFargateBoto3: boto3('1.40.61', 'linux#5.10.240-238.966.amzn2.x86_64', 'x86_64', '3.12.12', 'exec-env/AWS_ECS_FARGATE m/g,D cfg/retry-mode#legacy'),
  dpGo: (api: string): string => `aws-sdk-go-v2/1.32.7 ua/2.1 os/linux lang/go#1.23.4 md/GOOS#linux md/GOARCH#amd64 api/${api} m/E,g`,
  dpLaptopCli: 'aws-cli/2.29.1 md/awscrt#0.27.4 ua/2.1 os/macos#23.6.0 md/arch#x86_64 lang/python#3.13.4 md/pyimpl#CPython m/E,n cfg/retry-mode#standard md/installer#exe',
  dpOfficeCli: 'aws-cli/2.28.9 md/awscrt#0.27.2 ua/2.1 os/windows#10 md/arch#amd64 lang/python#3.13.4 md/pyimpl#CPython m/E,g cfg/retry-mode#standard md/installer#exe',
} as const;

/** Fixed source addresses (documentation ranges for offices/partners, cloud-like ranges for hosted things). */
export const IP = {
  officeAlice: '198.51.100.23',
  officeJane: '198.51.100.41',
  officeBob: '198.51.100.57',
  carolHome: '203.0.113.88',
  janeHomeServer: '81.174.203.19',
  daveHome: '81.2.69.160',
  supportAgentNat: '3.91.187.12',
  figmaPublic: '52.48.201.77',
  figmaPrivate: '10.20.3.41',
  partner: '18.185.77.12',
  vendor: '192.0.2.50',
  opsBot: '34.204.61.5',
  rotatedSvc: '52.70.13.240',
  gptNightlyBox: '44.201.17.90',
  reportAgentNat: '3.219.55.18',
  leakedLegit: '198.51.100.77',
  leakedAttacker: '45.155.205.233',
  leakedAttacker2: '193.32.162.71',
  truffleHog: '185.220.101.47',
} as const;

/** Address pools: GitHub-hosted runners egress from Azure ranges. */
export const GITHUB_RUNNER_PREFIXES = ['52.154', '20.57', '4.227', '13.105', '172.183'] as const;
export const AGENTCORE_EGRESS_PREFIX = '44.215';
export const CODEBUILD_PREFIX = '3.238';
