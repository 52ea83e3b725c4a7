import { describe, expect, it } from 'vitest';
import { minimise } from '../../electron/engine/classify/lbfgs.js';

/** ½ Σ c_k (w_k − t_k)², a quadratic bowl with curvatures `c` and its minimum at `t`. */
const bowl = (c: number[], t: number[]) => (w: Float64Array, grad: Float64Array) => {
  let value = 0;
  c.forEach((ck, k) => {
    const d = w[k]! - t[k]!;
    grad[k] = ck * d;
    value += 0.5 * ck * d * d;
  });
  return value;
};

describe('L-BFGS', () => {
  it.each([
    ['round', [1, 1], [3, -2]],
    ['ill-conditioned', [1, 1e4, 0.01], [1, 2, 3]],
    ['already at the minimum', [2, 5], [0, 0]],
  ])('finds the minimum of a %s quadratic', (_, c, t) => {
    const w = new Float64Array(c.length);
    const result = minimise(bowl(c, t), w, 1e-9, 200);
    expect(result.converged).toBe(true);
    t.forEach((tk, k) => expect(w[k]).toBeCloseTo(tk, 6));
  });

  it('minimises a non-quadratic convex function (log-sum-exp plus a penalty)', () => {
    // f(w) = log(e^w0 + e^w1) + ½‖w − (1, 2)‖²: the minimum has w − (1, 2) = −softmax(w).
    const f = (w: Float64Array, grad: Float64Array) => {
      const [a, b] = [Math.exp(w[0]!), Math.exp(w[1]!)];
      grad[0] = a / (a + b) + w[0]! - 1;
      grad[1] = b / (a + b) + w[1]! - 2;
      return Math.log(a + b) + 0.5 * ((w[0]! - 1) ** 2 + (w[1]! - 2) ** 2);
    };
    const w = new Float64Array(2);
    expect(minimise(f, w, 1e-10, 100).converged).toBe(true);
    const [a, b] = [Math.exp(w[0]!), Math.exp(w[1]!)];
    expect(w[0]! - 1).toBeCloseTo(-a / (a + b), 8);
    expect(w[1]! - 2).toBeCloseTo(-b / (a + b), 8);
  });

  it('reports when it runs out of iterations', () => {
    const w = new Float64Array(3);
    expect(minimise(bowl([1, 1e6, 1e-6], [1, 1, 1]), w, 1e-12, 2)).toEqual({
      iterations: 2,
      converged: false,
    });
  });
});
