import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { openSession, Tensor } from '../../electron/engine/inference/onnxRuntime.js';
import { GraphBuilder } from '../tools/onnx/graphBuilder.js';
import { writeModel } from '../tools/onnx/modelWriter.js';

/**
 * This machine's practical float32 matrix-multiply rate through onnxruntime-node, in GFLOP/s: one large MatMul
 * (2·n³ floating-point operations), best of a few runs.
 */
export async function matmulGflops(cacheDir: string, threads: number, n = 1536): Promise<number> {
  const file = path.join(cacheDir, `matmul-${n}.onnx`);
  const graph = new GraphBuilder('matmul');
  const a = graph.input('a', 'float32', [n, n]);
  const b = graph.input('b', 'float32', [n, n]);
  graph.output(graph.op('MatMul', [a, b]), 'c', 'float32', [n, n]);
  await mkdir(cacheDir, { recursive: true });
  writeModel(file, graph.build({ producerName: 'clipsort-bench' }));

  const session = await openSession(file, { threads });
  const values = Float32Array.from({ length: n * n }, (_, i) => ((i * 7919) % 1000) / 1000 - 0.5);
  const feeds = { a: new Tensor('float32', values, [n, n]), b: new Tensor('float32', values, [n, n]) };
  await session.run(feeds);
  let best = Infinity;
  for (let i = 0; i < 5; i++) {
    const started = performance.now();
    await session.run(feeds);
    best = Math.min(best, performance.now() - started);
  }
  await session.release();
  return (2 * n ** 3) / (best / 1000) / 1e9;
}
