/**
 * The map's top layer: the ring under the pointer, the counts of stacked points, and the box or lasso being drawn. It is cheap to redraw on
 * every pointer move, so the points below are redrawn only when the view or the data change.
 */
import type { Vertex } from './selection.js';
import type { Rect, Size } from './viewport.js';

export interface OverlayShapes {
  /** The point under the pointer, in screen pixels. */
  hover?: { x: number; y: number; r: number } | undefined;
  lasso?: readonly Vertex[] | undefined;
  box?: Rect | undefined;
  /** Badges for points that share one spot: where (screen pixels) and how many. */
  counts?: readonly { x: number; y: number; count: number }[];
}

export function drawOverlay(
  ctx: CanvasRenderingContext2D,
  size: Size,
  dpr: number,
  shapes: OverlayShapes,
  colours: { selection: string; outline: string },
) {
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, size.width, size.height);
  const { hover, lasso, box, counts = [] } = shapes;
  drawCounts(ctx, counts, colours);
  if (hover) {
    ctx.beginPath();
    ctx.arc(hover.x, hover.y, hover.r + 3, 0, 2 * Math.PI);
    ctx.strokeStyle = colours.outline;
    ctx.lineWidth = 2;
    ctx.stroke();
  }
  if (!lasso && !box) return;
  ctx.beginPath();
  if (box) ctx.rect(box.x0, box.y0, box.x1 - box.x0, box.y1 - box.y0);
  else if (lasso) {
    lasso.forEach(([x, y], i) => (i === 0 ? ctx.moveTo(x, y) : ctx.lineTo(x, y)));
    ctx.closePath();
  }
  ctx.globalAlpha = 0.12;
  ctx.fillStyle = colours.selection;
  ctx.fill();
  ctx.globalAlpha = 1;
  ctx.setLineDash([5, 4]);
  ctx.strokeStyle = colours.selection;
  ctx.lineWidth = 1.5;
  ctx.stroke();
  ctx.setLineDash([]);
}

/** A rounded badge with the count, centred on the point's upper right edge. */
function drawCounts(
  ctx: CanvasRenderingContext2D,
  counts: NonNullable<OverlayShapes['counts']>,
  colours: { selection: string; outline: string },
) {
  if (counts.length === 0) return;
  ctx.font = '600 11px system-ui, sans-serif';
  ctx.textBaseline = 'middle';
  ctx.textAlign = 'center';
  for (const { x, y, count } of counts) {
    const text = count > 999 ? '999+' : String(count);
    const width = Math.max(16, ctx.measureText(text).width + 8);
    ctx.beginPath();
    ctx.roundRect(x - width / 2, y - 8, width, 16, 8);
    // The accent with white digits reads on both themes' backgrounds and on any class colour.
    ctx.fillStyle = colours.selection;
    ctx.fill();
    ctx.fillStyle = '#ffffff';
    ctx.fillText(text, x, y + 0.5);
  }
}
