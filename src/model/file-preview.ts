import { align, type Aligned } from './file-diff';

/** What a conflicted file is, for its preview. */
export type FileKind = 'notebook' | 'text' | 'image' | 'other';

const IMAGE_TYPES: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  bmp: 'image/bmp',
  svg: 'image/svg+xml'
};

const TEXT_EXTENSIONS = new Set([
  'txt', 'md', 'markdown', 'rst', 'py', 'r', 'jl', 'js', 'ts', 'tsx', 'jsx', 'json', 'yaml', 'yml', 'toml', 'ini', 'cfg',
  'csv', 'tsv', 'html', 'htm', 'css', 'xml', 'tex', 'sql', 'sh', 'c', 'h', 'cpp', 'java', 'go', 'rs', 'scala', 'm'
]);

function extensionOf(path: string): string {
  const name = path.slice(path.lastIndexOf('/') + 1);
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
}

/** The kind of a file, from its name. */
export function fileKindOf(path: string): FileKind {
  const extension = extensionOf(path);
  if (extension === 'ipynb') {
    return 'notebook';
  }
  if (extension in IMAGE_TYPES) {
    return 'image';
  }
  return TEXT_EXTENSIONS.has(extension) ? 'text' : 'other';
}

/** One output of a notebook cell, reduced to what a preview shows. */
export type CellOutput = { kind: 'text'; text: string } | { kind: 'image'; src: string };

/** A notebook cell, reduced to what a preview compares and shows. */
export interface NotebookCell {
  type: string;
  source: string;
  outputs: CellOutput[];
}

/** One side of a conflicted file, ready to show. */
export type SideContent =
  | { kind: 'missing' }
  | { kind: 'text'; text: string }
  | { kind: 'notebook'; cells: NotebookCell[] }
  | { kind: 'image'; src: string }
  | { kind: 'binary'; size: number }
  | { kind: 'too-large'; size: number }
  /** A notebook that is not valid JSON: shown as text. */
  | { kind: 'unreadable-notebook'; text: string };

/** Bigger files are not previewed (the browser would struggle, and a person would too). */
export const MAX_PREVIEW_BYTES = 2 * 1024 * 1024;

function base64Of(bytes: Uint8Array): string {
  let binary = '';
  for (let offset = 0; offset < bytes.length; offset += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(offset, offset + 0x8000));
  }
  return btoa(binary);
}

function textOf(bytes: Uint8Array): string | null {
  if (bytes.includes(0)) {
    return null;
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}

const joined = (value: unknown): string => (Array.isArray(value) ? value.join('') : typeof value === 'string' ? value : '');

function outputsOf(raw: unknown): CellOutput[] {
  if (!Array.isArray(raw)) {
    return [];
  }
  const outputs: CellOutput[] = [];
  for (const output of raw as Record<string, unknown>[]) {
    if (output.output_type === 'stream') {
      outputs.push({ kind: 'text', text: joined(output.text) });
    } else if (output.output_type === 'error') {
      outputs.push({ kind: 'text', text: `${joined(output.ename)}: ${joined(output.evalue)}` });
    } else if (typeof output.data === 'object' && output.data !== null) {
      const data = output.data as Record<string, unknown>;
      const image = ['image/png', 'image/jpeg', 'image/gif'].find(type => typeof data[type] === 'string');
      if (image) {
        outputs.push({ kind: 'image', src: `data:${image};base64,${(data[image] as string).replace(/\s/g, '')}` });
      } else if ('text/plain' in data) {
        outputs.push({ kind: 'text', text: joined(data['text/plain']) });
      }
    }
  }
  return outputs;
}

/** The cells of a notebook file. @throws SyntaxError when it is not a notebook's JSON. */
export function notebookCellsOf(text: string): NotebookCell[] {
  const notebook = JSON.parse(text) as { cells?: unknown };
  if (!Array.isArray(notebook.cells)) {
    throw new SyntaxError('A notebook has a list of cells.');
  }
  return (notebook.cells as Record<string, unknown>[]).map(cell => ({
    type: typeof cell.cell_type === 'string' ? cell.cell_type : 'code',
    source: joined(cell.source),
    outputs: outputsOf(cell.outputs)
  }));
}

/** Turns one side's bytes (or null when that side deleted the file) into what the preview shows. */
export function sideContentOf(path: string, bytes: Uint8Array | null): SideContent {
  if (bytes === null) {
    return { kind: 'missing' };
  }
  if (bytes.length > MAX_PREVIEW_BYTES) {
    return { kind: 'too-large', size: bytes.length };
  }
  const kind = fileKindOf(path);
  if (kind === 'image') {
    return { kind: 'image', src: `data:${IMAGE_TYPES[extensionOf(path)]};base64,${base64Of(bytes)}` };
  }
  const text = textOf(bytes);
  if (text === null) {
    return { kind: 'binary', size: bytes.length };
  }
  if (kind === 'notebook') {
    try {
      return { kind: 'notebook', cells: notebookCellsOf(text) };
    } catch {
      return { kind: 'unreadable-notebook', text };
    }
  }
  return { kind: 'text', text };
}

/** Two notebooks cell by cell: cells with the same type and source are the same cell. */
export function cellDiff(mine: readonly NotebookCell[], theirs: readonly NotebookCell[]): Aligned<NotebookCell>[] {
  return align(mine, theirs, (a, b) => a.type === b.type && a.source === b.source);
}
