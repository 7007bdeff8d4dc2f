/**
 * AI-agent frameworks, LLM SDKs, agent actions and agent CLIs as they appear in GitHub Actions
 * workflows — data, one table, like ua-signatures.ts. Patterns are JavaScript regexes applied by
 * src/inventory/workflow.ts to the parsed workflow (never to raw text):
 *
 *   where = 'uses'    the `uses:` reference of a step or reusable-workflow job (owner/repo[/path]@ref)
 *   where = 'install' one line of a `run:` script that installs packages (pip, uv, poetry, npm, yarn, pnpm, bun, pipx)
 *   where = 'run'     any line of a `run:` script (a CLI invoked, a module run)
 *
 * kind:
 *   framework    agent / orchestration framework (LangChain, CrewAI, AutoGen, …)
 *   llm-sdk      a model provider's SDK (openai, anthropic, …): calls a model, agent if scheduled or with tools
 *   agent-action a GitHub Action that runs a coding or review agent (claude-code-action, …)
 *   agent-cli    an agent command-line tool run non-interactively (claude -p, codex exec, aider, …)
 */
export interface AgentTool {
  /** Stable token reported in evidence, e.g. `langchain`. */
  token: string;
  label: string;
  kind: 'framework' | 'llm-sdk' | 'agent-action' | 'agent-cli';
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
  { token: 'codex-action', label: 'OpenAI Codex (GitHub Action)', kind: 'agent-action', where: 'uses', pattern: /^openai\/codex-action(?:@|\/|$)/i },
  { token: 'gemini-cli-action', label: 'Gemini CLI (GitHub Action)', kind: 'agent-action', where: 'uses', pattern: /^google-github-actions\/run-gemini-cli(?:@|\/|$)/i },
  { token: 'amazon-q-action', label: 'Amazon Q Developer (GitHub Action)', kind: 'agent-action', where: 'uses', pattern: /^aws-actions\/amazon-q-developer[a-z-]*(?:@|\/|$)/i },
  { token: 'ai-pr-reviewer', label: 'AI PR reviewer action', kind: 'agent-action', where: 'uses', pattern: /^(?:coderabbitai\/ai-pr-reviewer|freeedcom\/ai-codereviewer|anc95\/ChatGPT-CodeReview|mattzcarey\/code-review-gpt)(?:@|\/|$)/i },
  { token: 'aider-action', label: 'Aider (GitHub Action)', kind: 'agent-action', where: 'uses', pattern: /^[\w.-]+\/aider[\w.-]*action(?:@|\/|$)/i },
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
  { token: 'crewai', label: 'CrewAI', kind: 'framework', where: 'run', pattern: /(?:^|[\s;&|(])crewai\s+(?:run|kickoff)\b/ },
];

/**
 * Secret or environment-variable names that hold a model provider's key. An agent workflow usually
 * passes one of these; on their own they mark a repository as calling an LLM.
 */
export const LLM_SECRET_NAME = /(?:^|_)(?:OPENAI|AZURE_OPENAI|ANTHROPIC|CLAUDE|GEMINI|GOOGLE_AI|GOOGLE_GENAI|MISTRAL|COHERE|GROQ|PERPLEXITY|HUGGINGFACE|HF|REPLICATE|TOGETHER|DEEPSEEK|XAI|OPENROUTER|LANGCHAIN|LANGSMITH|FIREWORKS|BEDROCK)(?:_|$)|(?:^|_)LLM(?:_|$)/i;

/** Secret names that hold an AWS static credential (access key id or secret access key). */
export const AWS_KEY_SECRET_NAME = /(?:^|_)AWS_(?:[A-Z0-9]+_)*(?:ACCESS_KEY(?:_ID)?|SECRET(?:_ACCESS)?_KEY|KEY_ID)(?:_|$)|^(?:[A-Z0-9]+_)*AWS_(?:ACCESS|SECRET)(?:_|$)/i;

/** GitHub App slugs that are AI agents or AI review bots (weak-to-medium evidence; names are data). */
export const AI_APP_SLUG = /(?:^|-)(?:claude|anthropic|openai|chatgpt|gpt|copilot|coderabbit(?:ai)?|devin|sweep|codeium|cursor|sourcery|codium|qodo|ellipsis|greptile|tabnine|amazon-q|gemini|ai|llm|agent|bot-ai|aider|openhands)(?:-|$)/i;
