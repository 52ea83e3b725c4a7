/**
 * Draws the map's points on a 2D canvas. Positions live in flat typed arrays and points are grouped once by
 * shape and colour, so each group is one path and one fill, and points off screen are skipped. Drawing is a
 * generator that pauses every few hundred points, so that a large map can be drawn over several frames without
 * holding up the page (see progressiveRenderer.ts).
 */
import type { Size, View } from './viewport.js';

/** How each kind of image is drawn: inbox images as rings (not filed yet), references as outlined diamonds. */
export const KINDS = ['inbox', 'reference', 'sorted'] as const;
export type Kind = (typeof KINDS)[number];
const INBOX = 0;
const REFERENCE = 1;

const TAU = 2 * Math.PI;
/** Opacity of points that are not selected or highlighted while some are. */
const DIMMED = 0.22;
/** Points drawn between pauses. */
const STEP = 400;
/** Thumbnails drawn between pauses. */
const THUMB_STEP = 12;
/** Selected or highlighted points are ringed only when there are at most this many. */
const RING_LIMIT = 300;

const flagged = (flags: Uint8Array) => flags.reduce((sum, flag) => sum + flag, 0);

/** What there is to draw; positions are base pixels (see viewport.ts). */
export interface Scene {
  xs: Float32Array;
  ys: Float32Array;
  /** Index into KINDS per point. */
  kinds: Uint8Array;
  /** Index into `palette` per point. */
  colours: Uint16Array;
  palette: readonly string[];
}

/** Points that stand out: 1 per flagged point. */
export interface Marks {
  selected?: Uint8Array | undefined;
  highlighted?: Uint8Array | undefined;
  /** Groups of points to join with lines (near-duplicates). */
  links?: readonly (readonly number[])[] | undefined;
}

/** Theme colours, read from the page's CSS. */
export interface Palette {
  /** Outlines of reference points. */
  outline: string;
  selection: string;
  highlight: string;
}

/** A decoded image, as the canvas draws it. */
export interface Picture {
  readonly image: CanvasImageSource;
  readonly width: number;
  readonly height: number;
}

/** One picture of the map: where it looks, how large dots are, and the thumbnails shown in place of dots. */
export interface Frame {
  /** CSS pixels. */
  size: Size;
  dpr: number;
  view: View;
  /** Dot radius in CSS pixels. */
  radius: number;
  /** Thumbnails drawn over their dots (at high zoom), each `thumbSize` CSS pixels square, last on top. */
  thumbnails?: readonly { index: number; picture: Picture }[];
  thumbSize?: number;
}

export const kindCode = (kind: Kind): number => KINDS.indexOf(kind);

export class MapPainter {
  #scene: Scene = {
    xs: new Float32Array(0),
    ys: new Float32Array(0),
    kinds: new Uint8Array(0),
    colours: new Uint16Array(0),
    palette: [],
  };
  /** Point indices grouped by kind and colour: `#groups[kind * palette.length + colour]`. */
  #groups: Uint32Array[] = [];

  /** Takes new points or colours; groups them once for every frame that follows. */
  setScene(scene: Scene) {
    this.#scene = scene;
    const width = scene.palette.length;
    const counts = new Uint32Array(KINDS.length * width);
    const key = (i: number) => scene.kinds[i]! * width + scene.colours[i]!;
    for (let i = 0; i < scene.xs.length; i++) counts[key(i)]!++;
    this.#groups = Array.from(counts, (count) => new Uint32Array(count));
    const filled = new Uint32Array(counts.length);
    for (let i = 0; i < scene.xs.length; i++) {
      const k = key(i);
      this.#groups[k]![filled[k]!++] = i;
    }
  }

  /**
   * Draws `frame` on a transparent `ctx`, pausing (yielding) every few hundred points; returns how many points
   * were on screen and drawn.
   */
  *paint(
    ctx: CanvasRenderingContext2D,
    frame: Frame,
    marks: Marks,
    palette: Palette,
  ): Generator<void, number> {
    ctx.setTransform(frame.dpr, 0, 0, frame.dpr, 0, 0);
    ctx.globalAlpha = 1;
    const emphasis = marks.selected !== undefined || marks.highlighted !== undefined;
    if (marks.links?.length) this.#links(ctx, frame, marks.links, palette.highlight);
    ctx.globalAlpha = emphasis ? DIMMED : 1;
    const drawn = yield* this.#points(ctx, frame, palette, undefined);
    ctx.globalAlpha = 1;
    for (const [only, ring] of [
      [marks.highlighted, palette.highlight],
      [marks.selected, palette.selection],
    ] as const) {
      if (!only) continue;
      yield* this.#points(ctx, frame, palette, only);
      // Rings mark a few points; around many they would merge into a blot, and full colour says enough.
      if (flagged(only) <= RING_LIMIT) yield* this.#rings(ctx, frame, only, ring);
    }
    yield* this.#thumbnails(ctx, frame, marks, palette, emphasis);
    ctx.globalAlpha = 1;
    return drawn;
  }

  /** Draws `frame` in one go. */
  draw(ctx: CanvasRenderingContext2D, frame: Frame, marks: Marks, palette: Palette): number {
    const steps = this.paint(ctx, frame, marks, palette);
    for (;;) {
      const step = steps.next();
      if (step.done) return step.value;
    }
  }

  /** Every group as paths of at most STEP points; `only` limits it to flagged points. */
  *#points(
    ctx: CanvasRenderingContext2D,
    frame: Frame,
    palette: Palette,
    only: Uint8Array | undefined,
  ): Generator<void, number> {
    const { xs, ys, palette: colours } = this.#scene;
    const { view, radius: r } = frame;
    const width = colours.length;
    const margin = 2 * r;
    const right = frame.size.width + margin;
    const bottom = frame.size.height + margin;
    const ringWidth = Math.max(1.2, r * 0.55);
    const ringRadius = r - ringWidth / 2;
    const diamond = r * 1.45;
    let drawn = 0;
    for (let g = 0; g < this.#groups.length; g++) {
      const group = this.#groups[g]!;
      const kind = Math.floor(g / width);
      const colour = colours[g % width]!;
      let n = 0;
      while (n < group.length) {
        ctx.beginPath();
        let added = 0;
        for (; n < group.length && added < STEP; n++) {
          const i = group[n]!;
          if (only && !only[i]) continue;
          const x = xs[i]! * view.k + view.x;
          const y = ys[i]! * view.k + view.y;
          if (x < -margin || x > right || y < -margin || y > bottom) continue;
          added++;
          if (kind === REFERENCE) {
            ctx.moveTo(x, y - diamond);
            ctx.lineTo(x + diamond, y);
            ctx.lineTo(x, y + diamond);
            ctx.lineTo(x - diamond, y);
            ctx.closePath();
          } else {
            const rr = kind === INBOX ? ringRadius : r;
            ctx.moveTo(x + rr, y);
            ctx.arc(x, y, rr, 0, TAU);
          }
        }
        if (added === 0) continue;
        drawn += added;
        if (kind === INBOX) {
          ctx.strokeStyle = colour;
          ctx.lineWidth = ringWidth;
          ctx.stroke();
        } else {
          ctx.fillStyle = colour;
          ctx.fill();
          if (kind === REFERENCE) {
            ctx.strokeStyle = palette.outline;
            ctx.lineWidth = 1;
            ctx.stroke();
          }
        }
        if (added === STEP) yield;
      }
    }
    return drawn;
  }

  /** A ring around each flagged point on screen. */
  *#rings(ctx: CanvasRenderingContext2D, frame: Frame, only: Uint8Array, colour: string): Generator<void> {
    const { xs, ys } = this.#scene;
    const { view } = frame;
    const r = frame.radius + 2;
    ctx.strokeStyle = colour;
    ctx.lineWidth = 1.5;
    let added = 0;
    ctx.beginPath();
    for (let i = 0; i < only.length; i++) {
      if (!only[i]) continue;
      const x = xs[i]! * view.k + view.x;
      const y = ys[i]! * view.k + view.y;
      if (x < -r || x > frame.size.width + r || y < -r || y > frame.size.height + r) continue;
      ctx.moveTo(x + r, y);
      ctx.arc(x, y, r, 0, TAU);
      if (++added % STEP === 0) {
        ctx.stroke();
        yield;
        ctx.beginPath();
      }
    }
    ctx.stroke();
  }

  #links(ctx: CanvasRenderingContext2D, frame: Frame, links: readonly (readonly number[])[], colour: string) {
    const { xs, ys } = this.#scene;
    const { view } = frame;
    ctx.globalAlpha = 0.7;
    ctx.beginPath();
    for (const [first, ...rest] of links) {
      if (first === undefined) continue;
      const x0 = xs[first]! * view.k + view.x;
      const y0 = ys[first]! * view.k + view.y;
      for (const i of rest) {
        ctx.moveTo(x0, y0);
        ctx.lineTo(xs[i]! * view.k + view.x, ys[i]! * view.k + view.y);
      }
    }
    ctx.strokeStyle = colour;
    ctx.lineWidth = 1;
    ctx.stroke();
  }

  /** Thumbnails as squares, the middle of the picture filling them, framed in the point's colour. */
  *#thumbnails(
    ctx: CanvasRenderingContext2D,
    frame: Frame,
    marks: Marks,
    palette: Palette,
    emphasis: boolean,
  ): Generator<void> {
    const { xs, ys, colours, palette: pointColours } = this.#scene;
    const { view } = frame;
    const s = frame.thumbSize ?? 48;
    let count = 0;
    for (const { index: i, picture } of frame.thumbnails ?? []) {
      const x = xs[i]! * view.k + view.x - s / 2;
      const y = ys[i]! * view.k + view.y - s / 2;
      const selected = marks.selected?.[i] === 1;
      const highlighted = marks.highlighted?.[i] === 1;
      ctx.globalAlpha = !emphasis || selected || highlighted ? 1 : DIMMED;
      const side = Math.min(picture.width, picture.height);
      const sx = (picture.width - side) / 2;
      const sy = (picture.height - side) / 2;
      ctx.drawImage(picture.image, sx, sy, side, side, x, y, s, s);
      ctx.lineWidth = selected || highlighted ? 3 : 2;
      ctx.strokeStyle = selected
        ? palette.selection
        : highlighted
          ? palette.highlight
          : pointColours[colours[i]!]!;
      ctx.strokeRect(x, y, s, s);
      if (++count % THUMB_STEP === 0) yield;
    }
  }
}
