/** The part of density-clustering the tests compare DBSCAN with (the package ships no types). */
declare module 'density-clustering' {
  export class DBSCAN {
    run(
      dataset: number[][],
      epsilon: number,
      minPts: number,
      distance?: (a: number[], b: number[]) => number,
    ): number[][];
  }
  const clustering: { DBSCAN: typeof DBSCAN };
  export default clustering;
}
