/**
 * Errors raised by the mock cloud. The Pulumi SDK forwards only `err.details` of a failed invoke
 * (it builds `new Error(err.details)`), so every error carries its message there too; otherwise a
 * program would see a bare "Error" instead of the AWS-like message.
 */
export class MockCloudError extends Error {
  readonly details: string;
  constructor(message: string) {
    super(message);
    this.name = 'MockCloudError';
    this.details = message;
  }
}

/** Throws a MockCloudError; for use in expressions (`x ?? fail(...)`). */
export function fail(message: string): never {
  throw new MockCloudError(message);
}
