/** The Linux one-liner: the server's install script downloads the agent, checks its SHA-256, installs, enrolls and starts it. */
export function linuxSnippet(server: string, token: string): string {
  return `curl -fsSL ${server}/install/agent.sh | sudo sh -s -- --token ${token}`;
}

/** The Windows one-liner, for PowerShell run as Administrator. */
export function windowsSnippet(server: string, token: string): string {
  return `iex "& { $(irm ${server}/install/agent.ps1) } -Token ${token}"`;
}
