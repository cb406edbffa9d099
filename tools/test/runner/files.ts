/**
 * The files a step writes for the runner: GITHUB_OUTPUT and GITHUB_ENV (`name=value` lines or
 * `name<<DELIMITER` blocks) and GITHUB_PATH (one directory a line). "Workflow commands for GitHub
 * Actions", https://docs.github.com/en/actions/reference/workflows-and-actions/workflow-commands
 */

export function parseOutputFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].replace(/\r$/, '');
    if (line === '') continue;
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const [, name, delimiter] = heredoc;
      const end = lines.findIndex((l, j) => j > i && l.replace(/\r$/, '') === delimiter);
      if (end < 0) throw new Error(`matching delimiter not found '${delimiter}'`);
      out[name] = lines.slice(i + 1, end).join('\n');
      i = end;
      continue;
    }
    const eq = line.indexOf('=');
    if (eq <= 0) throw new Error(`invalid format '${line}'`);
    out[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return out;
}

/** GITHUB_ENV has the same format as GITHUB_OUTPUT. */
export const parseEnvFile = parseOutputFile;

export function parsePathFile(text: string): string[] {
  // Each line is prepended, so the last line written comes first.
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .reverse();
}
