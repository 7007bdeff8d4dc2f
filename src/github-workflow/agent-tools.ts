/**
 * AI-agent frameworks, LLM SDKs, agent actions and agent CLIs as they appear in GitHub Actions
 * workflows — data, one table, like reference/ua-signatures.csv. Patterns are JavaScript regexes applied by
 * src/github-workflow/workflow.ts to the parsed workflow (never to raw text):
 *
 *   where = 'uses'    the `uses:` reference of a step or reusable-workflow job (owner/repo[/path]@ref)
 *   where = 'install' one line of a `run:` script that installs packages (pip, uv, poetry, npm, yarn, pnpm, bun, pipx)
 *   where = 'run'     any line of a `run:` script (a CLI invoked, a module run)
 *
 * kind:
 *   framework    agent / orchestration framework (LangChain, CrewAI, AutoGen, …)
 *   llm-sdk      a model provider's SDK (openai, anthropic, …): calls a model, agent if scheduled or with tools
 *   agent-action a GitHub Action that runs a coding or review agent (claude-code-action, …)
 *   agent-cli    an agent command-line tool run non-interactively (claude -p, codex exec, aider, …), or a local model run (ollama run)
 *   hosted-agent an API call to a hosted coding agent (Devin, Cursor background agents, Jules, …) or to a model provider's API
 */
export interface AgentTool {
  /** Stable token reported in evidence, e.g. `langchain`. */
  token: string;
  label: string;
  kind: 'framework' | 'llm-sdk' | 'agent-action' | 'agent-cli' | 'hosted-agent';
  where: 'uses' | 'install' | 'run';
  pattern: RegExp;
}

/** Package names as they appear on an install line (word-bounded, scoped npm names allowed). */
function pkg(names: string): RegExp {
  return new RegExp(String.raw`(?:^|[\s"'=])(?:${names})(?:[\s"'=<>~!\[@,]|$)`, 'i');
}

/** Detects that a `run:` line installs packages; only such lines are matched against `install` patterns. */
export const INSTALL_LINE = /\b(?:pip3?|python3? -m pip|uv pip|uv add|poetry add|pipx (?:install|run)|conda install|npm (?:i|install|add)|npx|yarn add|pnpm (?:add|i|install)|bun (?:add|install)|gem install|go install|cargo install)\b/i;

/** Ordered by token; the workflow analyser reports every match. */
export const AGENT_TOOLS: readonly AgentTool[] = [
  // --- agent actions (uses:) ---
  { token: 'claude-code-action', label: 'Claude Code (GitHub Action)', kind: 'agent-action', where: 'uses', pattern: /^anthropics\/claude-code(?:-base)?-action(?:@|\/|$)/i },
  { token: 'codex-action', label: 'OpenAI Codex (GitHub Action)', kind: 'agent-action', where: 'uses', pattern: /^openai\/codex(?:-action)?(?:@|\/|$)/i },
  { token: 'gemini-cli-action', label: 'Gemini CLI (GitHub Action)', kind: 'agent-action', where: 'uses', pattern: /^(?:google-github-actions\/run-gemini-cli|google-gemini\/gemini-cli-action)(?:@|\/|$)/i },
  { token: 'amazon-q-action', label: 'Amazon Q Developer (GitHub Action)', kind: 'agent-action', where: 'uses', pattern: /^aws-actions\/amazon-q-developer[a-z-]*(?:@|\/|$)/i },
  { token: 'ai-pr-reviewer', label: 'AI PR reviewer action', kind: 'agent-action', where: 'uses', pattern: /^(?:coderabbitai\/ai-pr-reviewer|freeedcom\/ai-codereviewer|anc95\/ChatGPT-CodeReview|mattzcarey\/code-review-gpt)(?:@|\/|$)/i },
  { token: 'aider-action', label: 'Aider (GitHub Action)', kind: 'agent-action', where: 'uses', pattern: /^[\w.-]+\/aider[\w.-]*action(?:@|\/|$)/i },
  { token: 'ollama-action', label: 'Ollama: runs a local model (GitHub Action)', kind: 'agent-action', where: 'uses', pattern: /^ai-action\/(?:ollama-action|setup-ollama)(?:@|\/|$)/i },
  { token: 'openhands-action', label: 'OpenHands resolver', kind: 'agent-action', where: 'uses', pattern: /^(?:all-hands-ai|openhands)\/openhands[\w./-]*(?:@|$)/i },

  // --- frameworks (installed) ---
  { token: 'langchain', label: 'LangChain', kind: 'framework', where: 'install', pattern: pkg(String.raw`langchain[\w-]*|@langchain\/[\w-]+`) },
  { token: 'langgraph', label: 'LangGraph', kind: 'framework', where: 'install', pattern: pkg(String.raw`langgraph[\w-]*|@langchain\/langgraph`) },
  { token: 'crewai', label: 'CrewAI', kind: 'framework', where: 'install', pattern: pkg(String.raw`crewai[\w-]*`) },
  { token: 'autogen', label: 'AutoGen', kind: 'framework', where: 'install', pattern: pkg(String.raw`pyautogen|autogen-agentchat|autogen-ext|autogen-core|ag2`) },
  { token: 'llama-index', label: 'LlamaIndex', kind: 'framework', where: 'install', pattern: pkg(String.raw`llama[-_]index[\w-]*|llamaindex`) },
  { token: 'strands', label: 'Strands Agents', kind: 'framework', where: 'install', pattern: pkg(String.raw`strands-agents[\w-]*`) },
  { token: 'openai-agents', label: 'OpenAI Agents SDK', kind: 'framework', where: 'install', pattern: pkg(String.raw`openai-agents|@openai\/agents`) },
  { token: 'semantic-kernel', label: 'Semantic Kernel', kind: 'framework', where: 'install', pattern: pkg(String.raw`semantic-kernel`) },
  { token: 'haystack', label: 'Haystack', kind: 'framework', where: 'install', pattern: pkg(String.raw`haystack-ai|farm-haystack`) },
  { token: 'smolagents', label: 'smolagents', kind: 'framework', where: 'install', pattern: pkg(String.raw`smolagents`) },
  { token: 'pydantic-ai', label: 'Pydantic AI', kind: 'framework', where: 'install', pattern: pkg(String.raw`pydantic-ai[\w-]*`) },
  { token: 'dspy', label: 'DSPy', kind: 'framework', where: 'install', pattern: pkg(String.raw`dspy(?:-ai)?`) },
  { token: 'bedrock-agentcore', label: 'Bedrock AgentCore SDK', kind: 'framework', where: 'install', pattern: pkg(String.raw`bedrock-agentcore[\w-]*`) },
  { token: 'mcp', label: 'Model Context Protocol SDK', kind: 'framework', where: 'install', pattern: pkg(String.raw`mcp|fastmcp|@modelcontextprotocol\/[\w-]+`) },
  { token: 'vercel-ai-sdk', label: 'Vercel AI SDK', kind: 'framework', where: 'install', pattern: pkg(String.raw`@ai-sdk\/[\w-]+`) },

  // --- model provider SDKs (installed) ---
  { token: 'openai', label: 'OpenAI SDK', kind: 'llm-sdk', where: 'install', pattern: pkg(String.raw`openai`) },
  { token: 'anthropic', label: 'Anthropic SDK', kind: 'llm-sdk', where: 'install', pattern: pkg(String.raw`anthropic|@anthropic-ai\/sdk`) },
  { token: 'google-genai', label: 'Google Gen AI SDK', kind: 'llm-sdk', where: 'install', pattern: pkg(String.raw`google-genai|google-generativeai|@google\/genai|@google\/generative-ai`) },
  { token: 'litellm', label: 'LiteLLM', kind: 'llm-sdk', where: 'install', pattern: pkg(String.raw`litellm`) },
  { token: 'mistral', label: 'Mistral SDK', kind: 'llm-sdk', where: 'install', pattern: pkg(String.raw`mistralai|@mistralai\/mistralai`) },
  { token: 'cohere', label: 'Cohere SDK', kind: 'llm-sdk', where: 'install', pattern: pkg(String.raw`cohere|cohere-ai`) },

  // --- agent CLIs (installed or run) ---
  { token: 'claude-code', label: 'Claude Code CLI', kind: 'agent-cli', where: 'install', pattern: pkg(String.raw`@anthropic-ai\/claude-code|claude-agent-sdk|@anthropic-ai\/claude-agent-sdk`) },
  { token: 'claude-code', label: 'Claude Code CLI', kind: 'agent-cli', where: 'run', pattern: /(?:^|[\s;&|(])claude\s+(?:-p|--print|--dangerously-skip-permissions)\b/ },
  { token: 'codex-cli', label: 'OpenAI Codex CLI', kind: 'agent-cli', where: 'install', pattern: pkg(String.raw`@openai\/codex`) },
  { token: 'codex-cli', label: 'OpenAI Codex CLI', kind: 'agent-cli', where: 'run', pattern: /(?:^|[\s;&|(])codex\s+(?:exec|-q|--full-auto)\b/ },
  { token: 'gemini-cli', label: 'Gemini CLI', kind: 'agent-cli', where: 'install', pattern: pkg(String.raw`@google\/gemini-cli`) },
  { token: 'gemini-cli', label: 'Gemini CLI', kind: 'agent-cli', where: 'run', pattern: /(?:^|[\s;&|(])gemini\s+(?:-p|--prompt|--yolo)\b/ },
  { token: 'aider', label: 'Aider', kind: 'agent-cli', where: 'install', pattern: pkg(String.raw`aider-chat|aider-install`) },
  { token: 'aider', label: 'Aider', kind: 'agent-cli', where: 'run', pattern: /(?:^|[\s;&|(])aider\s+(?:--yes|--message|-m)\b/ },
  { token: 'goose', label: 'Goose', kind: 'agent-cli', where: 'run', pattern: /(?:^|[\s;&|(])goose\s+run\b/ },
  { token: 'claude-code', label: 'Claude Code CLI', kind: 'agent-cli', where: 'run', pattern: /\bclaude\.ai\/install\.sh\b/ },
  { token: 'ollama', label: 'Ollama (runs a local model)', kind: 'agent-cli', where: 'run', pattern: /(?:^|[\s;&|(])ollama\s+(?:run|pull|serve)\b|\bollama\.com\/install\.sh\b/ },

  // --- API calls to hosted coding agents and model providers (curl, scripts) ---
  { token: 'hosted-coding-agent', label: 'hosted coding agent API (Devin, Cursor, Jules, Factory, Copilot coding agent)', kind: 'hosted-agent', where: 'run',
    pattern: /\b(?:api\.devin\.ai|api\.cursor\.com\/v\d+\/agents|jules\.googleapis\.com|api\.factory\.ai|api\.githubcopilot\.com\/agents)\b/i },
  { token: 'llm-api', label: 'model provider API call', kind: 'hosted-agent', where: 'run',
    pattern: /\b(?:api\.openai\.com\/v1|api\.anthropic\.com\/v1|generativelanguage\.googleapis\.com|api\.mistral\.ai\/v1|api\.groq\.com|openrouter\.ai\/api)\b/i },
  { token: 'crewai', label: 'CrewAI', kind: 'framework', where: 'run', pattern: /(?:^|[\s;&|(])crewai\s+(?:run|kickoff)\b/ },
];

/** Model providers whose key names mark a workflow as calling an LLM (data: add a vendor here). */
export const LLM_VENDORS: readonly string[] = [
  'OPENAI', 'AZURE_OPENAI', 'ANTHROPIC', 'CLAUDE', 'CLAUDE_CODE', 'GEMINI', 'GOOGLE_AI', 'GOOGLE_GENAI', 'GOOGLE_GENERATIVE_AI',
  'MISTRAL', 'COHERE', 'GROQ', 'PERPLEXITY', 'HUGGINGFACE', 'HUGGING_FACE', 'HF', 'REPLICATE', 'TOGETHER', 'DEEPSEEK', 'XAI',
  'OPENROUTER', 'LANGCHAIN', 'LANGSMITH', 'FIREWORKS', 'BEDROCK', 'LLM', 'AI21', 'VOYAGE', 'CEREBRAS', 'DASHSCOPE', 'MOONSHOT',
];

/** What follows the vendor in a name that holds a credential: `_API_KEY`, `_KEY`, `_TOKEN`, `_OAUTH_TOKEN`, `_ACCESS_TOKEN`, `_SECRET`. */
const KEY_SUFFIX = String.raw`(?:API_?KEY|KEY|API_?TOKEN|TOKEN|OAUTH_TOKEN|ACCESS_TOKEN|AUTH_TOKEN|BEARER_TOKEN|SECRET|SECRET_KEY|APIKEY)`;

/**
 * Secret or environment-variable names that hold a model provider's key: key-shaped, the vendor word followed by a
 * credential suffix, optionally with a prefix or a short qualifier (`OPENAI_API_KEY`, `EVAL_GEMINI_API_KEY`,
 * `ANTHROPIC_KEY_PROD`, `CLAUDE_CODE_OAUTH_TOKEN`). A name that merely starts with a vendor word is not one:
 * `CLAUDE_WORKING_DIR`, `GEMINI_CLI_TRUST_WORKSPACE`, `GEMINI_MODEL`, `GEMINI_CLI_ROBOT_GITHUB_PAT` (a GitHub token),
 * `CLAUDE_CODE_BASE_ACTION_REPO_DEPLOY_KEY` (an SSH deploy key) carry no provider credential. On their own such
 * names mark a repository as calling an LLM.
 */
export const LLM_SECRET_NAME = new RegExp(
  String.raw`^(?:[A-Z0-9]+_)*(?:${LLM_VENDORS.join('|')})_${KEY_SUFFIX}(?:_[A-Z0-9]{1,12})?$`, 'i');

/** Secret names that hold an AWS static credential (access key id or secret access key). */
export const AWS_KEY_SECRET_NAME = /(?:^|_)AWS_(?:[A-Z0-9]+_)*(?:ACCESS_KEY(?:_ID)?|SECRET(?:_ACCESS)?_KEY|KEY_ID)(?:_|$)|^(?:[A-Z0-9]+_)*AWS_(?:ACCESS|SECRET)(?:_|$)/i;

/**
 * Action inputs and environment variables that carry an AWS access key id (`aws-access-key-id`, `aws_access_key_id`,
 * `AWS_ACCESS_KEY_ID`, `aws_key_id`, `AWS_KEY_ID`, `S3_AWS_ACCESS_KEY_ID`): a long-lived key handed to that action or
 * script, whichever action it is.
 */
export const AWS_KEY_ID_INPUT = /^(?:[A-Z0-9]+[_-])*AWS[_-](?:ACCESS[_-]KEY(?:[_-]ID)?|KEY[_-]ID)$/i;

/** GitHub App slugs that are AI agents or AI review bots (weak-to-medium evidence; names are data). */
export const AI_APP_SLUG = /(?:^|-)(?:claude|anthropic|openai|chatgpt|gpt|copilot|coderabbit(?:ai)?|devin|sweep|codeium|cursor|sourcery|codium|qodo|ellipsis|greptile|tabnine|amazon-q|gemini|ai|llm|agent|bot-ai|aider|openhands)(?:-|$)/i;

/**
 * Rows of the `name_patterns` table (the model decides what a secret name or App slug says, in SQL with RE2,
 * case-insensitively): AWS static key names first (the lowest ord wins), then LLM provider key names, then AI app slugs.
 */
export function namePatternRows(): [number, string, string][] {
  return [[1, 'aws-static-key', AWS_KEY_SECRET_NAME.source], [2, 'llm-provider', LLM_SECRET_NAME.source], [3, 'ai-app', AI_APP_SLUG.source]];
}
