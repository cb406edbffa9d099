/** Bad input to the CLI: exit code 2, and the message names the file, field and value at fault. */
export class InputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InputError';
  }
}
