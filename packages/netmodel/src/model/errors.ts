/** A snapshot that is structurally wrong: the message names the member, the index/id and the value at fault. */
export class SnapshotError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SnapshotError';
  }
}

/** `Subnets[3] (subnet-1): VpcId "vpc-9" is not in Vpcs` */
export function snapshotError(
  member: string,
  index: number | string,
  id: string | undefined,
  message: string,
): SnapshotError {
  const where = typeof index === 'number' ? `${member}[${index}]` : `${member}["${index}"]`;
  return new SnapshotError(`${where}${id ? ` (${id})` : ''}: ${message}`);
}

/** Parses with `parse`, rethrowing its error as a SnapshotError that says where the value came from. */
export function at<T>(member: string, index: number | string, id: string | undefined, parse: () => T): T {
  try {
    return parse();
  } catch (e) {
    if (e instanceof SnapshotError) throw e;
    throw snapshotError(member, index, id, (e as Error).message);
  }
}
