/** The tool's name and version, as reports and sinks state them (kept equal to package.json by a test). */
export const TOOL_NAME = 'shadowscan';
export const TOOL_VERSION = '0.1.0';
export const TOOL_URI = 'https://github.com/shadowscan/shadowscan';
