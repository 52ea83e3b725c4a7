import { readFile } from 'node:fs/promises';
import onnxProto from 'onnx-proto';
import { openSession, Tensor } from '../../electron/engine/inference/onnxRuntime.js';
import { foldTransposesIntoMatMuls } from '../../electron/engine/inference/transposedMatMul.js';

const { onnx } = onnxProto;
const BATCH = 8;

/** Images per second of the vision encoder in `bytes` at batch 8, best of a few runs. */
async function rate(bytes: Uint8Array, threads: number, size: number): Promise<number> {
  const session = await openSession(bytes, { threads });
  const input = session.inputNames[0]!;
  const pixels = Float32Array.from({ length: BATCH * 3 * size * size }, (_, i) => Math.sin(i * 0.01));
  const feeds = { [input]: new Tensor('float32', pixels, [BATCH, 3, size, size]) };
  await session.run(feeds);
  let best = Infinity;
  for (let i = 0; i < 3; i++) {
    const started = performance.now();
    for (let run = 0; run < 3; run++) await session.run(feeds);
    best = Math.min(best, (performance.now() - started) / 3);
  }
  await session.release();
  return (BATCH * 1000) / best;
}

/**
 * What the int8 file's transpose rewrite (transposedMatMul.ts) would give the full-precision encoder, which runs
 * the model file as it is: I fp32 at batch 8 without and with it, alternated so that both see the same machine.
 */
export async function benchFoldedTransposes(
  visionFile: string,
  threads: number,
  size: number,
): Promise<[string, string][]> {
  const asIs = await readFile(visionFile);
  const model = onnx.ModelProto.decode(asIs);
  const folded = foldTransposesIntoMatMuls(model);
  const rewritten = onnx.ModelProto.encode(model).finish();
  const rates = { asIs: [] as number[], rewritten: [] as number[] };
  for (let round = 0; round < 2; round++) {
    rates.asIs.push(await rate(asIs, threads, size));
    rates.rewritten.push(await rate(rewritten, threads, size));
  }
  const [plain, withFold] = [Math.max(...rates.asIs), Math.max(...rates.rewritten)];
  return [
    [
      `I fp32, batch ${BATCH}: file as is / ${folded} transposes folded as in int8`,
      `${plain.toFixed(1)} / ${withFold.toFixed(1)} images/s (${(withFold / plain).toFixed(2)} ×)`,
    ],
  ];
}
