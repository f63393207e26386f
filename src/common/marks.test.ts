import { describe, expect, it } from 'vitest';
import { Marks } from './marks.js';

describe('Marks', () => {
  it('holds what was added since the last clear, and nothing else', () => {
    const marks = new Marks(8);
    marks.add(3);
    marks.add(5);
    expect([0, 3, 5, 7].map((index) => marks.has(index))).toEqual([false, true, true, false]);
    marks.clear();
    expect(marks.has(3)).toBe(false);
    marks.add(7);
    expect([3, 5, 7].map((index) => marks.has(index))).toEqual([false, false, true]);
  });

  it('grows on clear to hold the indices asked for', () => {
    const marks = new Marks(2);
    marks.clear(100);
    marks.add(99);
    expect(marks.has(99)).toBe(true);
    expect(marks.has(98)).toBe(false);
  });

  it('stays empty across many generations', () => {
    const marks = new Marks(4);
    for (let generation = 0; generation < 10_000; generation++) {
      marks.add(generation % 4);
      marks.clear();
    }
    expect([0, 1, 2, 3].some((index) => marks.has(index))).toBe(false);
  });
});
