/** Masking rules named by the catalogue, applied where the data is (the owning subgraph). */
import type { MaskRule } from './catalogue.ts';
import { maskIdentityNumber, maskName } from './identity-number.ts';

/** Keeps the city and county of an address (the first two administrative names). */
function maskAddress(address: string): string {
  const match = /^(.+?[市州盟])(.+?[区县市旗])?/u.exec(address);
  return match ? `${match[1]}${match[2] ?? ''}****` : '****';
}

export function applyMask(rule: MaskRule, value: unknown): unknown {
  if (typeof value !== 'string') return value;
  switch (rule) {
    case 'name':
      return maskName(value);
    case 'address':
      return maskAddress(value);
    case 'identity-number':
      return maskIdentityNumber(value);
  }
}
