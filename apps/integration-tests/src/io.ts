/** Where the CLI reads and writes, injectable so tests run `main` in-process. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Directory relative paths resolve against. */
  cwd: string;
  /** Terminal width for the results table. */
  columns?: number;
}

export function processIo(): CliIo {
  return {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    cwd: process.cwd(),
    ...(process.stdout.columns ? { columns: process.stdout.columns } : {}),
  };
}
