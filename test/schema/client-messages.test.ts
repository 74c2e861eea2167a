/** GraphQL's input messages as a client gets them: no submitted value, hints only where allowed. */
import { describe, expect, it } from 'vitest';
import { formatClientError } from '../../schema/errors.ts';
import { safeClientMessage } from '../../schema/client-messages.ts';

const ID = '440106199001011234';
const shown = { hideSuggestions: false };
const hidden = { hideSuggestions: true };

describe('client messages', () => {
  it('keeps schema hints only when the schema may be introspected', () => {
    const message = `Variable "$input" got invalid value "DIBAOO" at "input.program"; Value "DIBAOO" does not exist in "AssistanceProgram" enum. Did you mean the enum value "DIBAO"?`;
    expect(safeClientMessage(message, shown).message).toBe(
      'Variable "$input" got an invalid value at "input.program": Expected a value of the "AssistanceProgram" enum. Did you mean the enum value "DIBAO"?',
    );
    expect(safeClientMessage(message, hidden).message).toBe(
      'Variable "$input" got an invalid value at "input.program": Expected a value of the "AssistanceProgram" enum.',
    );
    expect(
      safeClientMessage('Cannot query field "nam" on type "Person". Did you mean "name"?', hidden),
    ).toEqual({ message: 'Cannot query field "nam" on type "Person".' });
  });

  it('rebuilds every value-quoting shape from names alone', () => {
    const cases: [string, string][] = [
      [
        `Variable "$id" got invalid value { x: "${ID}" }; ID cannot represent value: { x: "${ID}" }`,
        'Variable "$id" got an invalid value at "id": Expected a value of type "ID".',
      ],
      [
        `Variable "$input" got invalid value { household: "${ID}", "${ID}": 1 }; Field "${ID}" is not defined by type "RecordDeterminationInput".`,
        'Variable "$input" got an invalid value at "input": A field is not defined by type "RecordDeterminationInput".',
      ],
      [
        `Variable "$input" got invalid value "${ID}"; Some future reason quoting "${ID}"`,
        'Variable "$input" got an invalid value at "input": The value is not valid for its type.',
      ],
      [`Argument "id" has invalid value {a: "${ID}"}.`, 'Argument "id" has an invalid value.'],
      [`Expected value of type "Int", found "${ID}".`, 'Expected a value of type "Int".'],
      [
        `Expected value of type "Date", found "${ID}"; bad date ${ID}`,
        'Expected a value of type "Date".',
      ],
      [`String cannot represent a non string value: ${ID}`, 'Expected a value of type "String".'],
      [`Field "a${ID}" is not defined by type "T".`, 'A field is not defined by type "T".'],
    ];
    for (const [raw, safe] of cases) {
      expect(safeClientMessage(raw, shown).message).toBe(safe);
      expect(safeClientMessage(raw, shown).message).not.toContain(ID);
    }
  });

  it('a department hides hints by default, and a crafted "hint" is never kept', () => {
    const formatted = formatClientError({
      message: `Variable "$a" got invalid value "x"; Expected type "Int". Did you mean "${ID}"?`,
      extensions: { code: 'BAD_USER_INPUT' },
    });
    expect(formatted).toEqual({
      message: 'Variable "$a" got an invalid value at "a": Expected a value of type "Int".',
      extensions: { code: 'BAD_USER_INPUT', variable: 'a', path: 'a' },
    });
    const crafted = `Variable "$a" got invalid value "x"; Expected type "Int". Did you mean "a ${ID}"?`;
    expect(safeClientMessage(crafted, shown).message).not.toContain(ID);
    const digits = `Variable "$a" got invalid value "x"; Expected type "Int". Did you mean "${ID}"?`;
    expect(safeClientMessage(digits, shown).message).not.toContain(ID);
  });
});
