/**
 * Keeps the map smooth however many points it has. Two stacked canvases take turns: the front one shows the last
 * finished picture, moved and scaled with a CSS transform to follow the zoom (the compositor does that, not the
 * page), while the back one draws the current view a slice at a time within a per-frame budget. When the back one
 * finishes it becomes the front. A small map finishes within one frame; a large one sharpens a few frames after
 * the view moves, and the page never stalls meanwhile.
 *
 * Each slice is flushed (a one-pixel read makes the canvas rasterise what was recorded), so the budget counts the
 * real drawing cost and no stall is left for later. The canvases are made `willReadFrequently` for that: they are
 * drawn on the CPU, the same on every machine.
 */
import type { Frame, MapPainter, Marks, Palette } from './painter.js';
import type { Size, View } from './viewport.js';

/** What one picture needs besides the view, chosen for that view (thumbnails depend on it). */
export interface PictureInput {
  frame: Frame;
  marks: Marks;
  palette: Palette;
}

interface Layer {
  canvas: HTMLCanvasElement;
  ctx: CanvasRenderingContext2D;
  /** The view its picture was drawn at; undefined while it holds none. */
  view: View | undefined;
}

const sameView = (a: View, b: View) => a.k === b.k && a.x === b.x && a.y === b.y;

export class ProgressiveRenderer {
  /** Milliseconds of drawing per animation frame. */
  budgetMs: number;
  /** Points drawn in the last finished picture. */
  drawn = 0;

  #painter: MapPainter;
  #layers: [Layer, Layer];
  #front: Layer | undefined;
  #job: { layer: Layer; view: View; steps: Generator<void, number> } | undefined;
  #dirty = true;
  #size: Size = { width: 0, height: 0 };
  #dpr = 1;
  #canFlush = true;
  /** How long a step has been taking lately (a moving average). */
  #stepMs = 0;

  constructor(canvases: readonly [HTMLCanvasElement, HTMLCanvasElement], painter: MapPainter, budgetMs = 8) {
    this.#painter = painter;
    this.budgetMs = budgetMs;
    const layer = (canvas: HTMLCanvasElement): Layer => {
      const ctx = canvas.getContext('2d', { willReadFrequently: true });
      if (!ctx) throw new Error('This browser cannot draw on a canvas.');
      canvas.style.transformOrigin = '0 0';
      return { canvas, ctx, view: undefined };
    };
    this.#layers = [layer(canvases[0]), layer(canvases[1])];
    for (const { canvas } of this.#layers) canvas.style.visibility = 'hidden';
  }

  /** The canvases' CSS size and the screen's density; a change clears them. */
  resize(size: Size, dpr: number) {
    if (size.width === this.#size.width && size.height === this.#size.height && dpr === this.#dpr) return;
    this.#size = size;
    this.#dpr = dpr;
    for (const layer of this.#layers) {
      layer.canvas.width = Math.max(1, Math.round(size.width * dpr));
      layer.canvas.height = Math.max(1, Math.round(size.height * dpr));
      layer.view = undefined;
    }
    this.#front = undefined;
    this.invalidate();
  }

  /** What is drawn changed (points, colours, marks, theme, thumbnails): the picture in progress is dropped. */
  invalidate() {
    this.#dirty = true;
    this.#job = undefined;
  }

  /**
   * One animation frame at `view`: the front picture follows it, and the next picture is drawn on for at most
   * the budget. `describe` gives what a picture at a view needs. Returns whether another frame is needed.
   */
  frame(view: View, describe: (view: View) => PictureInput): boolean {
    if (this.#size.width === 0 || this.#size.height === 0) return false;
    const front = this.#front;
    if (!this.#job && (this.#dirty || !front?.view || !sameView(front.view, view)))
      this.#start(view, describe);
    const job = this.#job;
    if (job) {
      const started = performance.now();
      for (;;) {
        const stepStarted = performance.now();
        const step = job.steps.next();
        this.#flush(job.layer.ctx);
        const now = performance.now();
        this.#stepMs = 0.7 * this.#stepMs + 0.3 * (now - stepStarted);
        if (step.done) {
          this.drawn = step.value;
          job.layer.view = job.view;
          this.#front = job.layer;
          this.#job = undefined;
          break;
        }
        // Stop before a step that would likely run past the budget.
        if (now - started + this.#stepMs > this.budgetMs) break;
      }
    }
    this.#show(view);
    return this.#job !== undefined || this.#dirty || !sameView(this.#front?.view ?? view, view);
  }

  #start(view: View, describe: (view: View) => PictureInput) {
    const layer = this.#layers.find((l) => l !== this.#front)!;
    layer.view = undefined;
    layer.ctx.setTransform(1, 0, 0, 1, 0, 0);
    layer.ctx.clearRect(0, 0, layer.canvas.width, layer.canvas.height);
    const { frame, marks, palette } = describe(view);
    this.#job = { layer, view, steps: this.#painter.paint(layer.ctx, frame, marks, palette) };
    this.#dirty = false;
  }

  /** Shows the front picture moved to `view`; before there is one, the first picture as it is drawn. */
  #show(view: View) {
    const shown = this.#front ?? this.#job?.layer;
    const at = this.#front?.view ?? this.#job?.view;
    for (const layer of this.#layers) {
      layer.canvas.style.visibility = layer === shown ? 'visible' : 'hidden';
    }
    if (!shown || !at) return;
    const scale = view.k / at.k;
    const x = view.x - at.x * scale;
    const y = view.y - at.y * scale;
    shown.canvas.style.transform =
      scale === 1 && x === 0 && y === 0 ? 'none' : `translate(${x}px, ${y}px) scale(${scale})`;
  }

  /** Makes the canvas rasterise what was recorded, so that the cost falls inside the budget. */
  #flush(ctx: CanvasRenderingContext2D) {
    if (!this.#canFlush) return;
    try {
      ctx.getImageData(0, 0, 1, 1);
    } catch {
      // A canvas that drew a picture from elsewhere cannot be read; it is then drawn without flushing.
      this.#canFlush = false;
    }
  }
}
