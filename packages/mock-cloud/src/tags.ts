/** Tag helpers: Pulumi's `{k: v}` maps and AWS's `[{Key, Value}]` lists. */
export type TagMap = Record<string, string>;

/** Accepts a Pulumi tag map (values may be non-strings after deserialization) and drops empties. */
export function tagMap(value: unknown): TagMap {
  const out: TagMap = {};
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (v !== undefined && v !== null) out[k] = String(v);
    }
  }
  return out;
}

/** AWS-shaped tag list (EC2 and Network Firewall share the shape), keys sorted for stable snapshots. */
export function awsTags(tags: TagMap): { Key: string; Value: string }[] {
  return Object.keys(tags)
    .sort()
    .map((Key) => ({ Key, Value: tags[Key] }));
}
