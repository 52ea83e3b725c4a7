/**
 * t-SNE's repulsive forces by the Barnes–Hut approximation (van der Maaten, 2014): a quadtree over the 2D
 * layout, in which a cell seen from far enough away (its side under θ times its distance) acts as one point of
 * its whole mass at its centre of mass. O(n log n) per step instead of the exact sum's O(n²).
 */

/** Cells deeper than this keep all their points in one leaf: coincident points would otherwise never split. */
const MAX_DEPTH = 40;

/** The accuracy trade-off of the approximation; 0.5 is the reference implementation's default. */
export const THETA = 0.5;

/** Per cell, in `geometry`: centre of mass x, y, the squared side of its points' bounding box, the count. */
const GEOMETRY = 4;
/** Per cell, in `links`: the first point in the order, the first child, the number of children (0: a leaf). */
const LINKS = 3;

/**
 * A quadtree over `y` (n points, row-major x, y), built top-down: every cell covers a contiguous range of the
 * permuted point order, so a leaf is a range, and the non-empty children of a cell are consecutive cells. The
 * fields of a cell lie together (the traversal reads them all).
 */
class QuadTree {
  readonly order: Int32Array;
  private readonly scratch: Int32Array;
  private readonly quadrant: Uint8Array;
  geometry: Float64Array;
  links: Int32Array;
  private cells = 0;

  constructor(private readonly y: Float64Array) {
    const n = y.length / 2;
    this.order = new Int32Array(n);
    for (let i = 0; i < n; i++) this.order[i] = i;
    this.scratch = new Int32Array(n);
    this.quadrant = new Uint8Array(n);
    const capacity = Math.max(16, 2 * n);
    this.geometry = new Float64Array(GEOMETRY * capacity);
    this.links = new Int32Array(LINKS * capacity);
    this.build(this.allocate(1), 0, n, 0);
  }

  private allocate(count: number): number {
    if ((this.cells + count) * LINKS > this.links.length) {
      const cells = 2 * (this.cells + count);
      const geometry = new Float64Array(GEOMETRY * cells);
      geometry.set(this.geometry);
      this.geometry = geometry;
      const links = new Int32Array(LINKS * cells);
      links.set(this.links);
      this.links = links;
    }
    const first = this.cells;
    this.cells += count;
    return first;
  }

  /** Fills `cell` with the points order[from..to) and its subtree, splitting at the points' bounding box. */
  private build(cell: number, from: number, to: number, depth: number) {
    const { order, y } = this;
    let sumX = 0;
    let sumY = 0;
    let minX = Infinity;
    let minY = Infinity;
    let maxX = -Infinity;
    let maxY = -Infinity;
    for (let t = from; t < to; t++) {
      const x = y[2 * order[t]!]!;
      const v = y[2 * order[t]! + 1]!;
      sumX += x;
      sumY += v;
      if (x < minX) minX = x;
      if (x > maxX) maxX = x;
      if (v < minY) minY = v;
      if (v > maxY) maxY = v;
    }
    const side = Math.max(maxX - minX, maxY - minY);
    const g = GEOMETRY * cell;
    this.geometry[g] = sumX / (to - from);
    this.geometry[g + 1] = sumY / (to - from);
    this.geometry[g + 2] = side * side;
    this.geometry[g + 3] = to - from;
    const l = LINKS * cell;
    this.links[l] = from;
    this.links[l + 2] = 0;
    if (to - from <= 1 || depth >= MAX_DEPTH || !(side > 0)) return;
    // Counting sort of the range by quadrant around the box's centre (bit 0: right of it, bit 1: above it).
    const cx = (minX + maxX) / 2;
    const cy = (minY + maxY) / 2;
    let c0 = 0;
    let c1 = 0;
    let c2 = 0;
    for (let t = from; t < to; t++) {
      const p = order[t]!;
      const q = (y[2 * p]! >= cx ? 1 : 0) | (y[2 * p + 1]! >= cy ? 2 : 0);
      this.quadrant[p] = q;
      if (q === 0) c0++;
      else if (q === 1) c1++;
      else if (q === 2) c2++;
    }
    const offsets = [from, from + c0, from + c0 + c1, from + c0 + c1 + c2, to];
    const at = offsets.slice(0, 4);
    for (let t = from; t < to; t++) this.scratch[at[this.quadrant[order[t]!]!]!++] = order[t]!;
    order.set(this.scratch.subarray(from, to), from);
    let children = 0;
    for (let q = 0; q < 4; q++) if (offsets[q + 1]! > offsets[q]!) children++;
    const first = this.allocate(children);
    this.links[l + 1] = first;
    this.links[l + 2] = children;
    let child = first;
    for (let q = 0; q < 4; q++) {
      if (offsets[q + 1]! > offsets[q]!) this.build(child++, offsets[q]!, offsets[q + 1]!, depth + 1);
    }
  }
}

/**
 * Writes Σ_j q̃_ij² (y_i − y_j) for every point i into `repulsion` (2n) and returns Z = Σ_{i≠j} q̃_ij, with
 * q̃_ij = 1 / (1 + ‖y_i − y_j‖²), far cells summarised.
 */
export function barnesHutRepulsion(y: Float64Array, repulsion: Float64Array, theta = THETA): number {
  const { order, geometry, links } = new QuadTree(y);
  const n = y.length / 2;
  const thetaSquared = theta * theta;
  const stack = new Int32Array(4 * MAX_DEPTH + 4);
  let z = 0;
  for (let i = 0; i < n; i++) {
    const xi = y[2 * i]!;
    const yi = y[2 * i + 1]!;
    let rx = 0;
    let ry = 0;
    let top = 0;
    stack[top++] = 0;
    while (top > 0) {
      const cell = stack[--top]!;
      const g = GEOMETRY * cell;
      const l = LINKS * cell;
      const children = links[l + 2]!;
      if (children === 0) {
        // A leaf: its points one by one, this point excepted.
        const from = links[l]!;
        const to = from + geometry[g + 3]!;
        for (let t = from; t < to; t++) {
          const j = order[t]!;
          if (j === i) continue;
          const dx = xi - y[2 * j]!;
          const dy = yi - y[2 * j + 1]!;
          const q = 1 / (1 + dx * dx + dy * dy);
          z += q;
          rx += q * q * dx;
          ry += q * q * dy;
        }
        continue;
      }
      const dx = xi - geometry[g]!;
      const dy = yi - geometry[g + 1]!;
      const squared = dx * dx + dy * dy;
      if (geometry[g + 2]! < thetaSquared * squared) {
        const count = geometry[g + 3]!;
        const q = 1 / (1 + squared);
        z += count * q;
        rx += count * q * q * dx;
        ry += count * q * q * dy;
        continue;
      }
      const first = links[l + 1]!;
      for (let c = first; c < first + children; c++) stack[top++] = c;
    }
    repulsion[2 * i] = rx;
    repulsion[2 * i + 1] = ry;
  }
  return z;
}
