import { describe, expect, it } from 'vitest';
import {
  checkCharacter,
  identityNumberProblem,
  makeIdentityNumber,
  maskIdentityNumber,
  maskName,
} from '../../schema/identity-number.ts';

describe('GB 11643 identity numbers', () => {
  it('computes the check character mod 11 (published example)', () => {
    expect(checkCharacter('11010519491231002')).toBe('X');
    expect(identityNumberProblem('11010519491231002X')).toBeNull();
  });

  it('names what is wrong with a malformed number', () => {
    expect(identityNumberProblem('1101051949123100')).toBe('length');
    expect(identityNumberProblem('11010519491231002Y')).toBe('characters');
    expect(identityNumberProblem('99010519491231002X')).toBe('region');
    expect(
      identityNumberProblem(makeIdentityNumber('440106', '19900230', 11).slice(0, 17) + '0'),
    ).toBe('birth-date');
    expect(identityNumberProblem('110105194912310021')).toBe('checksum');
  });

  it('refuses birth dates in the future', () => {
    const id = makeIdentityNumber('440106', '20991231', 11);
    expect(identityNumberProblem(id, new Date('2026-11-29'))).toBe('birth-date');
  });

  it('masks numbers and names as the catalogue shows them', () => {
    expect(maskIdentityNumber('440106199001011234')).toBe('440106********1234');
    expect(maskName('张三明')).toBe('张*明');
    expect(maskName('欧阳小明')).toBe('欧**明');
    expect(maskName('李四')).toBe('李*');
  });
});
