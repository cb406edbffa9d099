/** Writing step outputs the way GitHub Actions reads them ($GITHUB_OUTPUT, heredoc form). */
import { appendFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';

/** Formats `name<<DELIM\nvalue\nDELIM` entries; the random delimiter cannot collide with a value. */
export function formatOutputs(
  outputs: Record<string, string>,
  delimiter = `EOF_${randomBytes(8).toString('hex')}`,
): string {
  return Object.entries(outputs)
    .map(([name, value]) => {
      if (value.includes(delimiter)) throw new Error(`output ${name} contains the delimiter ${delimiter}`);
      return `${name}<<${delimiter}\n${value}\n${delimiter}\n`;
    })
    .join('');
}

/** Appends to $GITHUB_OUTPUT when set (in Actions); otherwise prints, so local runs show the values. */
export function writeOutputs(outputs: Record<string, string>, env: NodeJS.ProcessEnv = process.env): void {
  const file = env.GITHUB_OUTPUT;
  if (file) appendFileSync(file, formatOutputs(outputs));
  else for (const [name, value] of Object.entries(outputs)) process.stdout.write(`${name}=${value}\n`);
}
