/** Limited-memory BFGS (Nocedal & Wright, algorithm 7.4/7.5), for the probe's training. */

function dot64(a: Float64Array, b: Float64Array): number {
  let sum = 0;
  for (let k = 0; k < a.length; k++) sum += a[k]! * b[k]!;
  return sum;
}

/** How many past steps L-BFGS remembers. */
const HISTORY = 10;

/**
 * Minimises a smooth convex function from `w`, in place, with L-BFGS and a backtracking (Armijo) line search.
 * `evaluate` returns the function's value at its first argument and writes the gradient into its second.
 * Returns the iterations used and whether the gradient's norm reached `tolerance`; stops early, unconverged,
 * when no step lowers the value any more (the limit of floating point).
 */
export function minimise(
  evaluate: (w: Float64Array, grad: Float64Array) => number,
  w: Float64Array,
  tolerance: number,
  maxIterations: number,
): { iterations: number; converged: boolean } {
  const n = w.length;
  const grad = new Float64Array(n);
  const nextW = new Float64Array(n);
  const nextGrad = new Float64Array(n);
  const direction = new Float64Array(n);
  const steps: { s: Float64Array; y: Float64Array; rho: number }[] = [];
  const alphas = new Float64Array(HISTORY);
  let loss = evaluate(w, grad);
  for (let iteration = 0; iteration < maxIterations; iteration++) {
    if (Math.sqrt(dot64(grad, grad)) <= tolerance) return { iterations: iteration, converged: true };
    // Two-loop recursion: direction = −H·grad.
    direction.set(grad);
    for (let k = steps.length - 1; k >= 0; k--) {
      const { s, y, rho } = steps[k]!;
      const a = rho * dot64(s, direction);
      alphas[k] = a;
      for (let j = 0; j < n; j++) direction[j]! -= a * y[j]!;
    }
    const last = steps.at(-1);
    const gamma = last ? 1 / (last.rho * dot64(last.y, last.y)) : 1 / Math.sqrt(dot64(grad, grad));
    for (let j = 0; j < n; j++) direction[j]! *= gamma;
    for (const [k, { s, y, rho }] of steps.entries()) {
      const b = rho * dot64(y, direction);
      for (let j = 0; j < n; j++) direction[j]! += (alphas[k]! - b) * s[j]!;
    }
    for (let j = 0; j < n; j++) direction[j] = -direction[j]!;
    let slope = dot64(grad, direction);
    if (!(slope < 0)) {
      // Not a descent direction (rounding): forget the history and follow the gradient.
      steps.length = 0;
      for (let j = 0; j < n; j++) direction[j] = -grad[j]! / Math.sqrt(dot64(grad, grad));
      slope = dot64(grad, direction);
    }
    let step = 1;
    let nextLoss = Infinity;
    for (let tries = 0; tries < 40; tries++) {
      for (let j = 0; j < n; j++) nextW[j] = w[j]! + step * direction[j]!;
      nextLoss = evaluate(nextW, nextGrad);
      if (nextLoss <= loss + 1e-4 * step * slope) break;
      step /= 2;
    }
    if (!(nextLoss < loss)) return { iterations: iteration + 1, converged: false };
    const s = new Float64Array(n);
    const y = new Float64Array(n);
    for (let j = 0; j < n; j++) {
      s[j] = nextW[j]! - w[j]!;
      y[j] = nextGrad[j]! - grad[j]!;
    }
    const sy = dot64(s, y);
    if (sy > 0) {
      steps.push({ s, y, rho: 1 / sy });
      if (steps.length > HISTORY) steps.shift();
    }
    w.set(nextW);
    grad.set(nextGrad);
    loss = nextLoss;
  }
  return { iterations: maxIterations, converged: Math.sqrt(dot64(grad, grad)) <= tolerance };
}
