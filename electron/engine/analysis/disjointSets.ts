/**
 * Disjoint sets of the rows 0…n−1 (union–find with path halving). A union keeps the lower root, so every set's
 * root is its lowest row, whatever order the unions come in.
 */
export function disjointSets(n: number): {
  /** The root of row i's set. */
  find: (i: number) => number;
  /** Joins the sets of rows a and b. */
  union: (a: number, b: number) => void;
} {
  const parent = Int32Array.from({ length: n }, (_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) {
      parent[i] = parent[parent[i]!]!;
      i = parent[i]!;
    }
    return i;
  };
  const union = (a: number, b: number) => {
    const ra = find(a);
    const rb = find(b);
    if (ra !== rb) parent[Math.max(ra, rb)] = Math.min(ra, rb);
  };
  return { find, union };
}
