/**
 * A class's colour, from its name alone, so that it stays the same across reloads, views and new classes: a name
 * that says a colour (in English or Spanish) gets that colour, any other a slot from a hash of its name. There are
 * 36 slots (12 hues, 3 lightnesses, in HCL so that equal steps look equal); when two classes of a library want
 * one slot, the first by name keeps it and the other takes the nearest free one (same hue first).
 */
import { hcl, interpolateRainbow } from 'd3';

const HUES = 12;
const LIGHTNESS = [58, 44, 72] as const;
const CHROMA = 55;
const SLOTS = HUES * LIGHTNESS.length;

/** Colour words and the slot they start at: [hue step, lightness index]. */
const COLOUR_WORDS: [RegExp, number, number][] = [
  [/\b(red|rojo|roja|rojos|rojas)\b/, 0, 0],
  [/\b(brown|marron|marrones|cafe)\b/, 0, 1],
  [/\b(orange|naranja|naranjas)\b/, 1, 0],
  [/\b(yellow|amarillo|amarilla|amarillos|amarillas|gold|dorado|dorada)\b/, 2, 2],
  [/\b(green|verde|verdes)\b/, 3, 0],
  [/\b(cyan|cian|turquoise|turquesa|teal)\b/, 5, 0],
  [/\b(blue|azul|azules)\b/, 8, 0],
  [/\b(purple|violet|morado|morada|violeta|lila|magenta)\b/, 10, 0],
  [/\b(pink|rosa|rosado|rosada)\b/, 11, 2],
];

/** The slot's colour: 12 hues 30° apart from 40° (HCL's red), so that the words land on their colours. */
function slotColour(slot: number): string {
  const hue = (40 + (slot % HUES) * (360 / HUES)) % 360;
  return hcl(hue, CHROMA, LIGHTNESS[Math.floor(slot / HUES)]!).formatHex();
}

/** The slot a name asks for: its colour word's, else its hash's. */
export function preferredSlot(name: string): number {
  const plain = name.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/[_-]+/g, ' ');
  for (const [word, hue, lightness] of COLOUR_WORDS) {
    if (word.test(plain)) return lightness * HUES + hue;
  }
  return fnv1a(name) % SLOTS;
}

/** The other slots to try, nearest first: the same hue's other lightnesses, then the hues either side. */
function* probe(slot: number): Generator<number> {
  const hue = slot % HUES;
  const light = Math.floor(slot / HUES);
  for (let step = 0; step <= HUES / 2; step++) {
    for (const h of step === 0 ? [hue] : [(hue + step) % HUES, (hue - step + HUES) % HUES]) {
      for (let l = 0; l < LIGHTNESS.length; l++) yield ((light + l) % LIGHTNESS.length) * HUES + h;
    }
  }
}

/** A colour per class name (see the module's comment); past 36 classes, hues spread by the golden ratio. */
export function classColours(names: Iterable<string>): Map<string, string> {
  const taken = new Set<number>();
  const colours = new Map<string, string>();
  let overflow = 0;
  for (const name of [...new Set(names)].sort()) {
    let chosen: number | undefined;
    for (const slot of probe(preferredSlot(name))) {
      if (!taken.has(slot)) {
        chosen = slot;
        break;
      }
    }
    if (chosen === undefined) {
      colours.set(name, interpolateRainbow((overflow++ * 0.618033988749895) % 1));
      continue;
    }
    taken.add(chosen);
    colours.set(name, slotColour(chosen));
  }
  return colours;
}

/** FNV-1a over the name's UTF-16 code units: small, fast and well spread for short strings. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}
