import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatNumber, linearExpression, solveLpText } from './highs.js';

describe('formatNumber', () => {
  it('writes every finite double so that it reads back exactly (property)', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (value) => {
        expect(Number(formatNumber(value))).toBe(value === 0 ? 0 : value);
      }),
      { numRuns: 2_000, seed: 20261130 },
    );
  });

  it('writes plain decimals in their shortest form and exponents with a sign and full digits', () => {
    expect(formatNumber(0.116384)).toBe('0.116384');
    expect(formatNumber(6000)).toBe('6000');
    expect(formatNumber(1.5e-7)).toBe('1.4999999999999999e-7');
    expect(formatNumber(2e21)).toBe('2.0000000000000000e+21');
  });
});

describe('solveLpText', () => {
  it('solves an LP written with linearExpression, its coefficients read exactly as written', async () => {
    // Maximise x + y with 0.1 x + 0.3 y <= 1 and x <= 4: x = 4, y = 2.
    const text = [
      'Maximize',
      ` obj: ${linearExpression([
        [1, 'x'],
        [1, 'y'],
      ])}`,
      'Subject To',
      ` c1: ${linearExpression([
        [0.1, 'x'],
        [0.3, 'y'],
      ])} <= 1`,
      ' c2: 1 x <= 4',
      'End',
    ].join('\n');
    const solution = await solveLpText(text, { solver: 'ipm' });
    expect(solution.status).toBe('Optimal');
    expect(solution.primal.get('x')).toBeCloseTo(4, 9);
    expect(solution.primal.get('y')).toBeCloseTo(2, 9);
  });
});
