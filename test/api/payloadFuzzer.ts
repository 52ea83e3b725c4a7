/**
 * Seeded malformed payloads for every command. Each payload is built to break its schema in one known way (wrong
 * type, missing field, unknown or prototype-polluting key, oversized string, out-of-range number, nested junk,
 * traversal in a path), so every one of them must be refused.
 */
import type { CommandName } from '../../electron/api/contract/index.js';
import { random } from '../helpers/images.js';
import { validInputs } from './samples.js';

/** What a field holds, so that a mutation can pick a value it certainly refuses. */
type FieldKind =
  | 'libraryPath'
  | 'folderPath'
  | 'name'
  | 'int'
  | 'nullableInt'
  | 'language'
  | 'share'
  | 'nullableLanguage'
  | 'score'
  | 'seconds'
  | 'weight'
  | 'boolean'
  | 'true'
  | 'enum'
  | 'id'
  | 'modelId'
  | 'pathList'
  | 'idList'
  | 'text'
  | 'label';

interface Field {
  kind: FieldKind;
  required: boolean;
}

/** The fields of the settings of one sorting run (`sort.start`, `sort.pass`). */
const RUN_SETTINGS: Record<string, Field> = {
  mode: { kind: 'enum', required: false },
  threshold: { kind: 'score', required: false },
  margin: { kind: 'score', required: false },
  quietSeconds: { kind: 'seconds', required: false },
  classLanguage: { kind: 'language', required: false },
  dryRun: { kind: 'boolean', required: false },
};

/** The fields of each command's input (the compiler insists on every command). */
export const FIELDS: { [N in CommandName]: Record<string, Field> } = {
  'library.open': { path: { kind: 'folderPath', required: true } },
  'library.init': { path: { kind: 'folderPath', required: true } },
  'library.status': {},
  'library.forget': { path: { kind: 'folderPath', required: true } },
  'app.info': {},
  'shell.pickFolder': { purpose: { kind: 'enum', required: false } },
  'shell.showInFolder': { path: { kind: 'libraryPath', required: true } },
  'classes.list': {},
  'classes.create': { name: { kind: 'name', required: true } },
  'review.list': {},
  'review.assign': {
    file: { kind: 'libraryPath', required: true },
    class: { kind: 'name', required: true },
    asReference: { kind: 'boolean', required: false },
  },
  'moves.recent': { limit: { kind: 'int', required: false } },
  'moves.undo': {
    last: { kind: 'int', required: false },
    all: { kind: 'true', required: false },
    batch: { kind: 'id', required: false },
    ids: { kind: 'idList', required: false },
  },
  'sort.start': RUN_SETTINGS,
  'sort.pass': RUN_SETTINGS,
  'sort.preview': {
    mode: { kind: 'enum', required: false },
    threshold: { kind: 'score', required: false },
    margin: { kind: 'score', required: false },
    alpha: { kind: 'weight', required: false },
    beta: { kind: 'weight', required: false },
  },
  'sort.stop': {},
  'settings.get': {},
  'settings.set': {
    mode: { kind: 'enum', required: false },
    threshold: { kind: 'score', required: false },
    margin: { kind: 'score', required: false },
    classLanguage: { kind: 'nullableLanguage', required: false },
    threads: { kind: 'nullableInt', required: false },
    provider: { kind: 'enum', required: false },
    precision: { kind: 'enum', required: false },
  },
  'model.status': {},
  'model.download': {
    id: { kind: 'modelId', required: false },
    quantized: { kind: 'boolean', required: false },
    use: { kind: 'boolean', required: false },
    wait: { kind: 'boolean', required: false },
  },
  'model.cancelDownload': {},
  'model.import': {
    path: { kind: 'folderPath', required: true },
    id: { kind: 'modelId', required: false },
    replace: { kind: 'boolean', required: false },
    use: { kind: 'boolean', required: false },
  },
  'model.use': { id: { kind: 'modelId', required: true } },
  'model.verify': {
    id: { kind: 'modelId', required: false },
    path: { kind: 'folderPath', required: false },
  },
  'classes.fromFiles': {
    name: { kind: 'name', required: true },
    files: { kind: 'pathList', required: true },
    move: { kind: 'boolean', required: false },
    references: { kind: 'boolean', required: false },
  },
  'files.move': {
    files: { kind: 'pathList', required: true },
    references: { kind: 'boolean', required: false },
    via: { kind: 'enum', required: false },
    class: { kind: 'name', required: true },
  },
  'eval.captions': {
    captions: { kind: 'text', required: true },
    name: { kind: 'label', required: false },
    folder: { kind: 'libraryPath', required: false },
  },
  'eval.classes': { maxError: { kind: 'share', required: false } },
  'eval.promise': {},
  'search.text': {
    text: { kind: 'text', required: true },
    limit: { kind: 'int', required: false },
    all: { kind: 'boolean', required: false },
  },
  'search.similar': {
    file: { kind: 'libraryPath', required: true },
    limit: { kind: 'int', required: false },
    all: { kind: 'boolean', required: false },
  },
  'search.duplicates': { threshold: { kind: 'score', required: false } },
  'images.list': {
    folder: { kind: 'enum', required: true },
    offset: { kind: 'int', required: false },
    limit: { kind: 'int', required: false },
  },
  'map.points': {
    method: { kind: 'enum', required: false },
    seed: { kind: 'int', required: false },
    filesKey: { kind: 'id', required: false },
  },
  'clusters.run': {
    method: { kind: 'enum', required: true },
    k: { kind: 'int', required: false },
    eps: { kind: 'score', required: false },
    minPts: { kind: 'int', required: false },
    linkage: { kind: 'enum', required: false },
    seed: { kind: 'int', required: false },
  },
  'clusters.elbow': {
    kMin: { kind: 'int', required: false },
    kMax: { kind: 'int', required: false },
    seed: { kind: 'int', required: false },
  },
  'clusters.kDistance': { minPts: { kind: 'int', required: false } },
  'images.embed': { batch: { kind: 'int', required: false } },
  'debug.tensor': {
    image: { kind: 'folderPath', required: true },
    out: { kind: 'folderPath', required: true },
  },
  'debug.tokens': { text: { kind: 'label', required: true } },
};

const PROTOTYPE_KEYS = ['__proto__', 'constructor', 'prototype'];

/** Traversal in a library path: each is refused by the library-path schema. */
const LIBRARY_TRAVERSALS = [
  '../outside.jpg',
  '../../../../etc/passwd',
  'Images/../../outside.jpg',
  'Images/..',
  '..',
  '/etc/passwd',
  '//server/share/x.jpg',
  'C:/Windows/win.ini',
  'c:\\x.jpg',
  'Images\\..\\..\\x.jpg',
  '\\\\server\\share\\x.jpg',
  'Images/a.jpg\u0000.png',
  'Images/\u0001.jpg',
  '',
];

/** Folder paths a library cannot be opened at: relative, empty or holding NUL. */
const FOLDER_TRAVERSALS = [
  '../../etc',
  'relative/library',
  '..',
  '.',
  '',
  '~/x',
  '/tmp/x\u0000/y',
  'x/../../y',
];

export interface Payload {
  command: CommandName;
  /** What was broken, for failure messages. */
  mutation: string;
  /** The JSON text sent (so that `__proto__` keys travel as keys). */
  json: string;
}

/** A JSON text with a key set as written, `__proto__` included (JSON.stringify would drop it on a plain object). */
function withKey(base: object, key: string, valueJson: string): string {
  const body = JSON.stringify(base).slice(1, -1);
  return `{${body}${body ? ',' : ''}${JSON.stringify(key)}:${valueJson}}`;
}

/** Payload generator for one seed. */
export function payloadFuzzer(seed: number) {
  const next = random(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));

  const hugeString = () => pick(['x', '../', '\u00e9', '\u{1f600}', '%2e']).repeat(int(5_000, 200_000));
  const junk = (depth = int(1, 60)): unknown => {
    let value: unknown = pick([1, 'a', true, null, [], {}]);
    for (let i = 0; i < depth; i++) value = next() < 0.5 ? [value, i] : { a: value, b: [i, 'x'] };
    return value;
  };

  /** A value the field's schema refuses. */
  const badValue = (kind: FieldKind): unknown => {
    const wrongType: unknown[] = [junk(), [], {}, hugeString()];
    switch (kind) {
      case 'libraryPath':
        return pick([...wrongType, 7, true, null, pick(LIBRARY_TRAVERSALS), `Images/${hugeString()}`]);
      case 'folderPath':
        return pick([...wrongType, 7, false, null, pick(FOLDER_TRAVERSALS), `/${hugeString()}`]);
      case 'name':
        return pick([...wrongType, 0, false, null, '', 'a\u0000b']);
      case 'id':
        return pick([...wrongType, 3, false, null, '']);
      case 'enum':
        return pick([...wrongType, 1, true, null, 'best', 'AVG', 'Images/..', '__proto__']);
      case 'int':
        return pick([...wrongType, '5', true, null, -5, 3.5, 1e12, -1e308]);
      case 'share':
        return pick([...wrongType, 0, 1, -0.5, 2, '0.02', null, true]);
      case 'language':
        return pick([...wrongType, 7, null, '', 'Spanish!', 'es_ES', '../x', 'ES']);
      case 'nullableLanguage':
        return pick([...wrongType, 7, '', 'Spanish!', 'es_ES', '../x', 'ES']);
      case 'nullableInt':
        return pick([...wrongType, '5', true, -5, 0, 3.5, 1e12, -1e308]);
      case 'modelId':
        return pick([...wrongType, 7, null, '', '../x', '.hidden', 'a/b', 'a\\b', 'x'.repeat(101)]);
      case 'pathList':
        return pick([
          ...wrongType,
          'Images/a.jpg',
          null,
          [pick(LIBRARY_TRAVERSALS)],
          ['Images/a.jpg', pick(LIBRARY_TRAVERSALS)],
          ['Images/a.jpg', 7],
          Array.from({ length: 20_001 }, (_, i) => `Images/${i}.jpg`),
        ]);
      case 'idList':
        return pick([...wrongType.slice(0, 3), 5, '5', null, [0], [-1], [1.5], ['1'], [1, null]]);
      case 'text':
        return pick([...wrongType.slice(0, 3), 0, false, null, '']);
      case 'label':
        return pick([...wrongType, 0, false, null]);
      case 'score':
        return pick([...wrongType.slice(0, 3), '0.5', true, -5, 3.5, 1e12, -1e308]);
      case 'seconds':
        return pick([...wrongType.slice(0, 3), '5', true, -1, 601, 1e12, -1e308]);
      case 'weight':
        return pick([...wrongType.slice(0, 3), '5', true, -0.5, 1001, 1e12, -1e308]);
      case 'boolean':
        return pick([...wrongType, 'true', 1, 0, null]);
      case 'true':
        return pick([...wrongType, 'true', 1, false, null]);
    }
  };

  /** One malformed payload for `command`. */
  const payload = (command: CommandName): Payload => {
    const valid = validInputs[command] as Record<string, unknown>;
    const fields = Object.entries(FIELDS[command]);
    const required = fields.filter(([, field]) => field.required);
    const mutations: (() => [string, string])[] = [
      () => [
        'not an object',
        JSON.stringify(pick([null, 42, 'text', true, [], [valid], hugeString(), -0.5])),
      ],
      () => {
        const key = pick([...PROTOTYPE_KEYS, `extra${int(0, 9)}`, 'toString', hugeString().slice(0, 300)]);
        return [`unknown key ${key.slice(0, 20)}`, withKey(valid, key, JSON.stringify(junk(int(0, 5))))];
      },
      () => {
        const key = pick(PROTOTYPE_KEYS);
        return [
          `prototype key ${key}`,
          withKey(valid, key, '{"polluted":true,"prototype":{"polluted":true}}'),
        ];
      },
    ];
    if (fields.length > 0) {
      mutations.push(() => {
        const [name, field] = pick(fields);
        const value = badValue(field.kind);
        return [`bad ${name}`, JSON.stringify({ ...valid, [name]: value })];
      });
    }
    if (required.length > 0) {
      mutations.push(() => {
        const [name] = pick(required);
        const rest = { ...valid };
        delete rest[name];
        return [`missing ${name}`, JSON.stringify(rest)];
      });
    }
    const isPath = (kind: FieldKind) =>
      kind === 'libraryPath' || kind === 'folderPath' || kind === 'pathList';
    if (fields.some(([, field]) => isPath(field.kind))) {
      mutations.push(() => {
        const [name, field] = pick(fields.filter(([, f]) => isPath(f.kind)));
        const value =
          field.kind === 'libraryPath'
            ? pick(LIBRARY_TRAVERSALS)
            : field.kind === 'pathList'
              ? ['Images/a.jpg', pick(LIBRARY_TRAVERSALS)]
              : pick(FOLDER_TRAVERSALS);
        return [`traversal in ${name}`, JSON.stringify({ ...valid, [name]: value })];
      });
    }
    if (command === 'moves.undo') {
      mutations.push(() => [
        'two choices',
        JSON.stringify(
          pick([
            { last: 1, all: true },
            { all: true, batch: 'b' },
            { ids: [1], last: 1 },
            { ids: [3, 4], batch: 'b' },
          ]),
        ),
      ]);
    }
    const [mutation, json] = pick(mutations)();
    return { command, mutation, json };
  };

  return { payload };
}
