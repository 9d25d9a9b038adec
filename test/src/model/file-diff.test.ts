import { describe, expect, it } from 'vitest';
import { align, lineDiff, linesOf } from '../../../src/model/file-diff';

const changes = (rows: ReturnType<typeof lineDiff>) => rows.map(row => [row.change, row.mine?.value ?? null, row.theirs?.value ?? null]);

describe('lineDiff', () => {
  it('keeps equal lines on one row and pairs a changed line with its replacement', () => {
    expect(changes(lineDiff('a\nb\nc\n', 'a\nB\nc\n'))).toEqual([
      ['same', 'a', 'a'],
      ['changed', 'b', 'B'],
      ['same', 'c', 'c']
    ]);
  });

  it('shows lines only one side has alone on their row', () => {
    expect(changes(lineDiff('a\nc\n', 'a\nb\nc\nd\n'))).toEqual([
      ['same', 'a', 'a'],
      ['theirs-only', null, 'b'],
      ['same', 'c', 'c'],
      ['theirs-only', null, 'd']
    ]);
    expect(changes(lineDiff('x\ny\n', ''))).toEqual([
      ['mine-only', 'x', null],
      ['mine-only', 'y', null]
    ]);
  });

  it('numbers lines on each side from zero, as they are in each file', () => {
    const rows = lineDiff('keep\nmine\n', 'new\nkeep\n');
    expect(rows.map(row => [row.mine?.index ?? null, row.theirs?.index ?? null])).toEqual([
      [null, 0],
      [0, 1],
      [1, null]
    ]);
  });
});

describe('linesOf', () => {
  it('splits on any line end and adds no empty line for a final one', () => {
    expect(linesOf('a\r\nb\rc\n')).toEqual(['a', 'b', 'c']);
    expect(linesOf('')).toEqual([]);
    expect(linesOf('a\n\n')).toEqual(['a', '']);
  });
});

describe('align', () => {
  it('uses the given equality (cells compared by content, not identity)', () => {
    const rows = align([{ v: 1 }, { v: 2 }], [{ v: 1 }, { v: 3 }], (x, y) => x.v === y.v);
    expect(rows.map(row => row.change)).toEqual(['same', 'changed']);
  });
});
