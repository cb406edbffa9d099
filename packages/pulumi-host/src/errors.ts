/** Errors of the Pulumi language-host runtime. Their messages name the project, mode and what failed. */

/** A project that cannot be run (bad Pulumi.yaml, missing SDK): bad input. */
export class PulumiHostError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PulumiHostError';
  }
}

export type RunMode = 'preview' | 'update';

/** A stack program that failed under the language host: every problem, each naming what failed. */
export class StackRunError extends Error {
  constructor(
    readonly project: string,
    /** The Pulumi stack (environment) name; `stack` is Error's own. */
    readonly stackName: string,
    readonly mode: RunMode,
    readonly problems: string[],
  ) {
    super(
      `stack ${project}/${stackName} failed in ${mode} under the Pulumi language host:\n - ${problems.join('\n - ')}`,
    );
    this.name = 'StackRunError';
  }
}

/** The run was stopped (Ctrl-C / SIGTERM / an abort signal) before it finished. */
export class InterruptedError extends Error {
  constructor(message = 'interrupted') {
    super(message);
    this.name = 'InterruptedError';
  }
}
