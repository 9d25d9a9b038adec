// The realistic project the end-to-end benchmark publishes, pushes, pulls and checks out: text
// files (Python modules in ten packages), notebooks with outputs, and incompressible binary data,
// and the change a push or pull carries (one line in each of the first `changed` text files).
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export interface ProjectShape {
  textFiles: number;
  notebooks: number;
  binaryFiles: number;
  binaryBytes: number;
  /** Text files one push or pull changes. */
  changed: number;
}

/** The project: 300 text files, 20 notebooks, 30 MB of binary data, 30 files changed. */
export const FULL_PROJECT: ProjectShape = { textFiles: 300, notebooks: 20, binaryFiles: 6, binaryBytes: 5 * 2 ** 20, changed: 30 };
/** CI's smoke size. */
export const SMALL_PROJECT: ProjectShape = { textFiles: 30, notebooks: 2, binaryFiles: 2, binaryBytes: 256 * 2 ** 10, changed: 5 };

export const textPath = (index: number) => join('src', `pkg_${index % 10}`, `module_${index}.py`);

/** A module of ~60 lines; `round` changes one line in its middle. */
function textFile(index: number, round: number): string {
  const lines: string[] = [`"""Module ${index} of the analysis package."""`, 'import math', ''];
  for (let fn = 0; fn < 8; fn++) {
    lines.push(`def step_${fn}(values, scale=${fn + 1}):`, `    """Step ${fn} of module ${index}."""`);
    lines.push(fn === 4 ? `    offset = ${round}  # revision` : `    offset = ${fn * index}`);
    lines.push('    return [math.sqrt(abs(v)) * scale + offset for v in values]', '', '');
  }
  return `${lines.join('\n')}\n`;
}

function notebook(index: number): string {
  const cells = Array.from({ length: 12 }, (_, cell) =>
    cell % 3 === 0
      ? { cell_type: 'markdown', id: `md-${index}-${cell}`, metadata: {}, source: [`## Part ${cell} of notebook ${index}\n`, 'What this part shows.'] }
      : {
          cell_type: 'code',
          id: `code-${index}-${cell}`,
          execution_count: cell,
          metadata: {},
          source: [`values = [x * ${cell} for x in range(${100 + index})]\n`, 'sum(values)'],
          outputs: [{ output_type: 'execute_result', execution_count: cell, metadata: {}, data: { 'text/plain': [`${'9'.repeat(40)}\n`.repeat(40)] } }]
        }
  );
  return `${JSON.stringify({ cells, metadata: { kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' } }, nbformat: 4, nbformat_minor: 5 }, null, 1)}\n`;
}

function write(dir: string, path: string, content: string | Buffer): void {
  mkdirSync(dirname(join(dir, path)), { recursive: true });
  writeFileSync(join(dir, path), content);
}

/** Writes the whole project into `dir`. */
export function writeProject(dir: string, shape: ProjectShape): void {
  for (let index = 0; index < shape.textFiles; index++) {
    write(dir, textPath(index), textFile(index, 0));
  }
  for (let index = 0; index < shape.notebooks; index++) {
    write(dir, join('notebooks', `analysis-${index}.ipynb`), notebook(index));
  }
  for (let index = 0; index < shape.binaryFiles; index++) {
    write(dir, join('data', `sample-${index}.bin`), randomBytes(shape.binaryBytes));
  }
  write(dir, 'README.md', '# A realistic project\n\nModules, notebooks and data.\n');
}

/** The change of one round: one line in each of the first `changed` text files. */
export function changeFiles(dir: string, shape: ProjectShape, round: number): void {
  for (let index = 0; index < shape.changed; index++) {
    write(dir, textPath(index), textFile(index, round));
  }
}
