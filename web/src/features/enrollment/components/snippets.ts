/** The Linux install snippet: enroll once with the token, then run the agent. */
export function linuxSnippet(server: string, token: string): string {
  return [
    "# As root, with ResticManager.Agent in /usr/local/bin and restic from the host's packages:",
    `ResticManager.Agent enroll --server ${server} --token ${token} --config /etc/restic-manager`,
    "ResticManager.Agent run --config /etc/restic-manager",
  ].join("\n");
}

/** The Windows install snippet (PowerShell as Administrator, in the agent's folder). */
export function windowsSnippet(server: string, token: string): string {
  return [
    "# In PowerShell as Administrator, in the folder holding ResticManager.Agent.exe (restic.exe on the PATH):",
    `.\\ResticManager.Agent.exe enroll --server ${server} --token ${token} --config "C:\\ProgramData\\ResticManager"`,
    '.\\ResticManager.Agent.exe run --config "C:\\ProgramData\\ResticManager"',
  ].join("\n");
}
