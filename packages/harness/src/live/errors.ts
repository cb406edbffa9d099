/**
 * Error types and classifiers of the live path. Classifiers look at the AWS error name and at the
 * message text, because Pulumi surfaces provider errors only as text inside its own error.
 */

/** The run cannot start (missing credentials, CLI, passphrase...). Nothing was created. */
export class PreflightError extends Error {
  constructor(
    readonly problems: string[],
    command = 'e2e',
  ) {
    super(`${command} cannot start:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'PreflightError';
  }
}

/** A wait gave up; `what` says what was awaited and the message says what was last seen. */
export class TimeoutError extends Error {
  constructor(
    readonly what: string,
    message: string,
  ) {
    super(message);
    this.name = 'TimeoutError';
  }
}

/** The run was interrupted (SIGINT/SIGTERM) before it finished. */
export class CancelledError extends Error {
  constructor(readonly reason: string) {
    super(`cancelled (${reason})`);
    this.name = 'CancelledError';
  }
}

export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}

function errorName(err: unknown): string {
  if (err && typeof err === 'object') {
    const e = err as { name?: unknown; Code?: unknown; code?: unknown };
    for (const v of [e.name, e.Code, e.code]) if (typeof v === 'string') return v;
  }
  return '';
}

const THROTTLING_NAMES = new Set([
  'ThrottlingException',
  'Throttling',
  'ThrottledException',
  'RequestLimitExceeded',
  'TooManyRequestsException',
  'RequestThrottled',
  'RequestThrottledException',
  'SlowDown',
]);

/** AWS throttled the call; the same call succeeds later. */
export function isThrottlingError(err: unknown): boolean {
  if (THROTTLING_NAMES.has(errorName(err))) return true;
  const status = (err as { $metadata?: { httpStatusCode?: number } } | undefined)?.$metadata?.httpStatusCode;
  return status === 429;
}

/**
 * Destroy errors that go away on their own: AWS releases lingering resources (endpoint ENIs of
 * Network Firewall, interface endpoints and TGW attachments) minutes after their owner is deleted,
 * and deleting a subnet, security group or VPC before that fails.
 */
const TRANSIENT_DESTROY_PATTERNS: RegExp[] = [
  /DependencyViolation/i,
  /has dependencies and cannot be deleted/i,
  /has dependencies/i,
  /InvalidNetworkInterface[\w.]*[^\n]*in use/i,
  /network interface[^\n]*(is )?(currently )?in use/i,
  /IncorrectState/i,
  /InvalidTransitGatewayAttachment[\w.]*[^\n]*(pending|deleting|modifying)/i,
  /RequestLimitExceeded|ThrottlingException|Rate exceeded/i,
];

export function isTransientDestroyError(err: unknown): boolean {
  const text = `${errorName(err)} ${errorMessage(err)}`;
  return TRANSIENT_DESTROY_PATTERNS.some((re) => re.test(text));
}

/**
 * A stack an interrupted run left behind: still locked (self-managed backends keep a lock file,
 * Pulumi Cloud an update in progress) or holding pending operations. Every later operation fails
 * until the update is cancelled and the pending operations are cleared.
 * https://www.pulumi.com/docs/iac/support/troubleshooting/#interrupted-update-recovery
 */
const INTERRUPTED_STATE_PATTERNS: RegExp[] = [
  /the stack is currently locked by \d+ lock/i,
  /Another update is currently in progress/i,
  /ConcurrentUpdateError/,
  /resource\(s\) with pending operations/i,
];

export function isInterruptedStateError(err: unknown): boolean {
  const text = `${errorName(err)} ${errorMessage(err)}`;
  return INTERRUPTED_STATE_PATTERNS.some((re) => re.test(text));
}
