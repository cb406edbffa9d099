/** The hubspoke CLI as a library: `main(argv, io)` runs a command in-process and returns its exit code. */
export { main, buildProgram, EXIT_OK, EXIT_CHECK_FAILED, EXIT_BAD_INPUT } from './cli';
export type { CliIo } from './io';
export { InputError } from './errors';
export { loadSnapshotFile, validateSnapshot } from './snapshot-file';
