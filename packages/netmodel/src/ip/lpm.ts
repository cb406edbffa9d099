/**
 * Longest-prefix-match table: entries grouped by prefix length, each length a Map keyed by network
 * address, so a lookup costs at most 33 map probes however many routes a table holds (a TGW
 * inspection route table carries one route per spoke).
 */
import type { Cidr } from './cidr';

export class LpmTable<T> {
  private readonly byLength = new Map<number, Map<number, T[]>>();
  private lengths: number[] = [];

  add(cidr: Cidr, value: T): void {
    let table = this.byLength.get(cidr.prefix);
    if (!table) {
      table = new Map();
      this.byLength.set(cidr.prefix, table);
      this.lengths = [...this.byLength.keys()].sort((a, b) => b - a);
    }
    const list = table.get(cidr.base);
    if (list) list.push(value);
    else table.set(cidr.base, [value]);
  }

  /** Every entry of the longest matching prefix (several = equal-cost choices), or [] when none. */
  lookup(ip: number): T[] {
    for (const len of this.lengths) {
      const mask = len === 0 ? 0 : (0xffffffff << (32 - len)) >>> 0;
      const hit = this.byLength.get(len)!.get((ip & mask) >>> 0);
      if (hit) return hit;
    }
    return [];
  }

  /** Entries whose prefix equals `cidr` exactly. */
  exact(cidr: Cidr): T[] {
    return this.byLength.get(cidr.prefix)?.get(cidr.base) ?? [];
  }

  values(): T[] {
    const out: T[] = [];
    for (const len of this.lengths) for (const list of this.byLength.get(len)!.values()) out.push(...list);
    return out;
  }
}
