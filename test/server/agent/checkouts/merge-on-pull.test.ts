import { existsSync, mkdirSync, readdirSync, readFileSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseNotebook } from '../../../../server/agent/checkouts/merge/notebook-merge';
import { aliceAndBob, expectNotebooksValid, grantAccess, treeHash } from './checkout-harness';

const { world, as } = aliceAndBob('hubshare-merge-');
let counter = 0;

const lines = Array.from({ length: 30 }, (_, index) => `line ${index + 1}`);
const text = (edits: Record<number, string> = {}) => `${lines.map((line, index) => edits[index + 1] ?? line).join('\n')}\n`;

/** A notebook of four cells as Jupyter writes it; `ids` false writes nbformat 4.4 without ids. */
function cellsNotebook(sources: string[], options: { ids?: boolean; outputs?: Record<number, string> } = {}): string {
  const ids = options.ids ?? true;
  return `${JSON.stringify(
    {
      cells: sources.map((source, index) => ({
        cell_type: 'code',
        execution_count: options.outputs?.[index] ? index + 1 : null,
        ...(ids ? { id: `cell-${index}` } : {}),
        metadata: {},
        outputs: options.outputs?.[index] ? [{ name: 'stdout', output_type: 'stream', text: [options.outputs[index]] }] : [],
        source: [source]
      })),
      metadata: { kernelspec: { display_name: 'Python 3', language: 'python', name: 'python3' } },
      nbformat: 4,
      nbformat_minor: ids ? 5 : 4
    },
    null,
    1
  )}\n`;
}
const base = ['a = 1', 'b = 2', 'c = 3', 'd = 4'];

/** Alice publishes `files`, bob checks the project out with write access. */
async function shared(files: Record<string, string>): Promise<{ mine: string; theirs: string }> {
  counter += 1;
  const name = `merge-${counter}`;
  const mine = join(world.work.path, `alice-${name}`);
  mkdirSync(mine);
  for (const [path, content] of Object.entries(files)) {
    writeFileSync(join(mine, path), content);
  }
  expect((await as('alice', mine, 'publish', '--name', name)).code).toBe(0);
  await grantAccess(world.service, world.tokens.alice, `alice/${name}`, 'bob', 'write');
  const theirs = join(world.work.path, `bob-${name}`);
  expect((await as('bob', world.work.path, 'checkout', `alice/${name}`, theirs)).code).toBe(0);
  return { mine, theirs };
}

const write = (dir: string, files: Record<string, string>) => Object.entries(files).forEach(([path, content]) => writeFileSync(join(dir, path), content));
const sourcesOf = (dir: string, path: string) => parseNotebook(readFileSync(join(dir, path), 'utf8'))?.cells.map(cell => [cell.source].flat().join(''));

describe('a pull merges what does not collide', () => {
  it('merges different lines of a text file and different cells of notebooks with and without ids; both sides end equal', async () => {
    const { mine, theirs } = await shared({ 'code.py': text(), 'ids.ipynb': cellsNotebook(base), 'old.ipynb': cellsNotebook(base, { ids: false }) });
    write(theirs, { 'code.py': text({ 3: 'bob was here' }), 'ids.ipynb': cellsNotebook(['a = "bob"', ...base.slice(1)]), 'old.ipynb': cellsNotebook(['a = "bob"', ...base.slice(1)], { ids: false }) });
    expect((await as('bob', theirs, 'push')).code).toBe(0);
    write(mine, { 'code.py': text({ 27: 'alice was here' }), 'ids.ipynb': cellsNotebook([...base.slice(0, 3), 'd = "alice"']), 'old.ipynb': cellsNotebook([...base.slice(0, 3), 'd = "alice"'], { ids: false }) });

    const pull = await as('alice', mine, 'pull');
    expect(pull.code, pull.err).toBe(0);
    expect(pull.out).toContain('Merged changes from both sides in: code.py, ids.ipynb, old.ipynb.');
    expect(readFileSync(join(mine, 'code.py'), 'utf8')).toBe(text({ 3: 'bob was here', 27: 'alice was here' }));
    for (const notebook of ['ids.ipynb', 'old.ipynb']) {
      expect(sourcesOf(mine, notebook)).toEqual(['a = "bob"', 'b = 2', 'c = 3', 'd = "alice"']);
    }
    expect(readFileSync(join(mine, 'ids.ipynb'), 'utf8')).toBe(cellsNotebook(['a = "bob"', 'b = 2', 'c = 3', 'd = "alice"']));
    expectNotebooksValid(mine);
    expect((await as('alice', mine, 'status')).out).toContain('not pushed');

    expect((await as('alice', mine, 'push')).code).toBe(0);
    expect((await as('bob', theirs, 'pull')).code).toBe(0);
    expect(treeHash(theirs, ['.hubshare'])).toEqual(treeHash(mine, ['.hubshare']));
  });

  it('merges 200 files both sides changed at different lines in one pull', async () => {
    const files = (edits: Record<number, string>) => Object.fromEntries(Array.from({ length: 200 }, (_, index) => [`module-${index}.py`, text(edits)]));
    const { mine, theirs } = await shared(files({}));
    write(theirs, files({ 2: 'bob' }));
    expect((await as('bob', theirs, 'push')).code).toBe(0);
    write(mine, files({ 29: 'alice' }));
    const pull = await as('alice', mine, 'pull');
    expect(pull.code, pull.err).toBe(0);
    for (const [path] of Object.entries(files({}))) {
      expect(readFileSync(join(mine, path), 'utf8')).toBe(text({ 2: 'bob', 29: 'alice' }));
    }
  });

  it('merges a cell added on one side, a cell deleted on the other and outputs re-run on both', async () => {
    const { mine, theirs } = await shared({ 'nb.ipynb': cellsNotebook(base) });
    // Bob deleted cell b and re-ran cell a (the ids stay those of the base).
    const bobs = JSON.parse(cellsNotebook(base, { outputs: { 0: 'theirs ran\n' } })) as { cells: unknown[] };
    bobs.cells.splice(1, 1);
    writeFileSync(join(theirs, 'nb.ipynb'), `${JSON.stringify(bobs, null, 1)}\n`);
    expect((await as('bob', theirs, 'push')).code).toBe(0);
    const alices = JSON.parse(cellsNotebook(base, { outputs: { 0: 'mine ran\n' } })) as { cells: { id: string; source: string[] }[] };
    alices.cells.push({ ...alices.cells[3], id: 'added-by-alice', source: ['e = 5'] });
    writeFileSync(join(mine, 'nb.ipynb'), `${JSON.stringify(alices, null, 1)}\n`);

    const pull = await as('alice', mine, 'pull');
    expect(pull.code, pull.err).toBe(0);
    expect(pull.out).toContain('your outputs were kept: nb.ipynb');
    expect(sourcesOf(mine, 'nb.ipynb')).toEqual(['a = 1', 'c = 3', 'd = 4', 'e = 5']);
    expect(readFileSync(join(mine, 'nb.ipynb'), 'utf8')).toContain('mine ran');
    expectNotebooksValid(mine);
  });
});

describe('a pull asks only about what collides', () => {
  it('stops at the same line and the same cell, lists only those files, keeps my bytes, and --theirs and abort give exact content', async () => {
    const { mine, theirs } = await shared({ 'code.py': text(), 'nb.ipynb': cellsNotebook(base), 'other.py': text() });
    write(theirs, { 'code.py': text({ 5: 'bob' }), 'nb.ipynb': cellsNotebook(['a = "bob"', ...base.slice(1)]), 'other.py': text({ 1: 'bob' }) });
    expect((await as('bob', theirs, 'push')).code).toBe(0);
    const alices = { 'code.py': text({ 5: 'alice' }), 'nb.ipynb': cellsNotebook(['a = "alice"', ...base.slice(1)]), 'other.py': text({ 30: 'alice' }) };
    write(mine, alices);
    const before = treeHash(mine, ['.hubshare']);

    const pull = await as('alice', mine, 'pull');
    expect(pull.code).toBe(1);
    expect(pull.err).toContain('code.py');
    expect(pull.err).toContain('nb.ipynb');
    expect(pull.err).not.toContain('other.py');
    expect(pull.out).toContain('Merged changes from both sides in: other.py.');
    expect(readFileSync(join(mine, 'code.py'), 'utf8')).toBe(alices['code.py']);
    expect(readFileSync(join(mine, 'nb.ipynb'), 'utf8')).toBe(alices['nb.ipynb']);
    expect(readFileSync(join(mine, 'other.py'), 'utf8')).not.toContain('<<<<<<<');

    expect((await as('alice', mine, 'abort')).code).toBe(0);
    expect(treeHash(mine, ['.hubshare'])).toEqual(before);

    expect((await as('alice', mine, 'pull')).code).toBe(1);
    expect((await as('alice', mine, 'resolve', 'nb.ipynb', '--theirs')).code).toBe(1);
    expect(readFileSync(join(mine, 'nb.ipynb'), 'utf8')).toBe(cellsNotebook(['a = "bob"', ...base.slice(1)]));
    expect((await as('alice', mine, 'resolve', 'code.py', '--mine')).code).toBe(0);
    expect((await as('alice', mine, 'continue')).code).toBe(0);
    expect(readFileSync(join(mine, 'other.py'), 'utf8')).toBe(text({ 1: 'bob', 30: 'alice' }));
  });

  it('never writes a merge through a symbolic link both sides changed (its target outside the folder)', async () => {
    // Link targets are blobs of text: these two would merge by line, and writing the merge to
    // the link on disk would create or overwrite a file next to the project folder.
    const target = (first: string, last: string) => `../${first}\n1\n2\n3\n${last}`;
    const { mine, theirs } = await shared({ 'readme.md': 'hello\n' });
    symlinkSync(target('outside', 'x'), join(theirs, 'link'));
    expect((await as('bob', theirs, 'push')).code).toBe(0);
    expect((await as('alice', mine, 'pull')).code).toBe(0);
    rmSync(join(theirs, 'link'));
    symlinkSync(target('outside', 'bob'), join(theirs, 'link'));
    expect((await as('bob', theirs, 'push')).code).toBe(0);
    rmSync(join(mine, 'link'));
    symlinkSync(target('alice', 'x'), join(mine, 'link'));
    const besideBefore = readdirSync(world.work.path).sort();

    const pull = await as('alice', mine, 'pull');
    expect(pull.code).toBe(1);
    expect(pull.err).toContain('link');
    expect(readlinkSync(join(mine, 'link'))).toBe(target('alice', 'x'));
    expect(readdirSync(world.work.path).sort()).toEqual(besideBefore);
    expect(existsSync(join(world.work.path, 'alice\n1\n2\n3\nx'))).toBe(false);
    expect((await as('alice', mine, 'abort')).code).toBe(0);
  });

  it('lists only the colliding cells and hunks, and --cell and --hunk give exactly the chosen parts, with the rest merged', async () => {
    const { mine, theirs } = await shared({ 'nb.ipynb': cellsNotebook(base), 'old.ipynb': cellsNotebook(base, { ids: false }), 'code.py': text() });
    write(theirs, {
      'nb.ipynb': cellsNotebook(['a = "bob"', 'b = 2', 'c = "bob"', 'd = "bob"']),
      'old.ipynb': cellsNotebook(['a = "bob"', 'b = 2', 'c = 3', 'd = 4'], { ids: false }),
      'code.py': text({ 5: 'bob', 20: 'bob', 28: 'bob' })
    });
    expect((await as('bob', theirs, 'push')).code).toBe(0);
    const alices = {
      'nb.ipynb': cellsNotebook(['a = "alice"', 'b = "alice"', 'c = "alice"', 'd = 4']),
      'old.ipynb': cellsNotebook(['a = "alice"', 'b = 2', 'c = 3', 'd = "alice"'], { ids: false }),
      'code.py': text({ 5: 'alice', 12: 'alice', 20: 'alice' })
    };
    write(mine, alices);
    const before = treeHash(mine, ['.hubshare']);

    const pull = await as('alice', mine, 'pull');
    expect(pull.code).toBe(1);
    expect(pull.err).toContain('cell cell-0:  mine a = "alice"  |  theirs a = "bob"');
    expect(pull.err).toContain('cell cell-2:  mine c = "alice"  |  theirs c = "bob"');
    expect(pull.err).not.toMatch(/cell cell-[13]/);
    expect(pull.err).toContain('cell 1:  mine a = "alice"  |  theirs a = "bob"');
    expect(pull.err).toContain('hunk 1:  mine alice  |  theirs bob');
    expect(pull.err).toContain('hunk 2:  mine alice  |  theirs bob');
    expect(pull.err).not.toContain('hunk 3');

    // A pick of one part leaves my bytes on disk until the file's last part is picked.
    const first = await as('alice', mine, 'resolve', 'nb.ipynb', '--cell', 'cell-0', '--theirs');
    expect(first.code).toBe(1);
    expect(first.out).toContain('Still to pick in nb.ipynb:');
    expect(first.out).toContain('cell cell-2');
    expect(first.out).not.toContain('cell cell-0');
    expect(readFileSync(join(mine, 'nb.ipynb'), 'utf8')).toBe(alices['nb.ipynb']);
    const wrong = await as('alice', mine, 'resolve', 'nb.ipynb', '--cell', 'cell-9', '--mine');
    expect(wrong.code).not.toBe(0);
    expect(wrong.err).toContain('has no cell "cell-9" waiting for a pick; it has: cell-0, cell-2');

    // Cancelling forgets the part picks, and every byte is back.
    expect((await as('alice', mine, 'abort')).code).toBe(0);
    expect(treeHash(mine, ['.hubshare'])).toEqual(before);
    expect((await as('alice', mine, 'pull')).err).toContain('cell cell-0:');

    expect((await as('alice', mine, 'resolve', 'nb.ipynb', '--cell', 'cell-0', '--theirs')).code).toBe(1);
    expect(await as('alice', mine, 'resolve', 'nb.ipynb', '--cell', 'cell-2', '--mine')).toMatchObject({ code: 1, out: expect.stringContaining('nb.ipynb is merged with your picks.') });
    expect(sourcesOf(mine, 'nb.ipynb')).toEqual(['a = "bob"', 'b = "alice"', 'c = "alice"', 'd = "bob"']);
    expect((await as('alice', mine, 'resolve', 'old.ipynb', '--cell', '1', '--theirs')).code).toBe(1);
    expect(sourcesOf(mine, 'old.ipynb')).toEqual(['a = "bob"', 'b = 2', 'c = 3', 'd = "alice"']);
    expect((await as('alice', mine, 'resolve', 'code.py', '--hunk', '1', '--theirs')).code).toBe(1);
    expect(readFileSync(join(mine, 'code.py'), 'utf8')).toBe(alices['code.py']);
    expect((await as('alice', mine, 'resolve', 'code.py', '--hunk', '2', '--mine')).code).toBe(0);
    expect(readFileSync(join(mine, 'code.py'), 'utf8')).toBe(text({ 5: 'bob', 12: 'alice', 20: 'alice', 28: 'bob' }));
    expectNotebooksValid(mine);
    expect((await as('alice', mine, 'continue')).code).toBe(0);
    expect((await as('alice', mine, 'push')).code).toBe(0);
    expect((await as('bob', theirs, 'pull')).code).toBe(0);
    expect(treeHash(theirs, ['.hubshare'])).toEqual(treeHash(mine, ['.hubshare']));
  });

  it('offers a waiting file deleted from disk meanwhile as a whole file, in words', async () => {
    const { mine, theirs } = await shared({ 'code.py': text() });
    write(theirs, { 'code.py': text({ 5: 'bob' }) });
    expect((await as('bob', theirs, 'push')).code).toBe(0);
    write(mine, { 'code.py': text({ 5: 'alice' }) });
    expect((await as('alice', mine, 'pull')).code).toBe(1);
    rmSync(join(mine, 'code.py'));
    const part = await as('alice', mine, 'resolve', 'code.py', '--hunk', '1', '--theirs');
    expect(part.code).toBe(5);
    expect(part.err).toContain('code.py can only be picked as a whole');
    expect((await as('alice', mine, 'resolve', 'code.py', '--theirs')).code).toBe(0);
    expect(readFileSync(join(mine, 'code.py'), 'utf8')).toBe(text({ 5: 'bob' }));
  });
});
