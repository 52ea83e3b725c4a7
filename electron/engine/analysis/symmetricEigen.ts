import { EigenvalueDecomposition, Matrix } from 'ml-matrix';

/**
 * Eigenvalues (largest first) and unit eigenvectors (as rows, in the same order) of a small symmetric matrix.
 */
export function symmetricEigen(
  matrix: Float64Array,
  size: number,
): { values: Float64Array; vectors: Float64Array } {
  const rows = Array.from({ length: size }, (_, i) => Array.from(matrix.subarray(i * size, (i + 1) * size)));
  const decomposition = new EigenvalueDecomposition(new Matrix(rows), { assumeSymmetric: true });
  const values = decomposition.realEigenvalues;
  const basis = decomposition.eigenvectorMatrix;
  const order = values.map((_, i) => i).sort((a, b) => values[b]! - values[a]!);
  const outValues = new Float64Array(size);
  const outVectors = new Float64Array(size * size);
  order.forEach((from, to) => {
    outValues[to] = values[from]!;
    for (let k = 0; k < size; k++) outVectors[to * size + k] = basis.get(k, from);
  });
  return { values: outValues, vectors: outVectors };
}
