/**
 * Resident identity numbers (GB 11643-1999): 6-digit region code, 8-digit birth date, 3-digit
 * sequence (odd for men, even for women), and a check character computed mod 11.
 */

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const CHECK_CHARS = '10X98765432';
/** First two digits of the provincial-level divisions that issue identity numbers. */
const PROVINCES = new Set([
  '11',
  '12',
  '13',
  '14',
  '15',
  '21',
  '22',
  '23',
  '31',
  '32',
  '33',
  '34',
  '35',
  '36',
  '37',
  '41',
  '42',
  '43',
  '44',
  '45',
  '46',
  '50',
  '51',
  '52',
  '53',
  '54',
  '61',
  '62',
  '63',
  '64',
  '65',
  '71',
  '81',
  '82',
]);

export function checkCharacter(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17.charCodeAt(i) - 48) * WEIGHTS[i]!;
  return CHECK_CHARS[sum % 11]!;
}

export type IdentityNumberProblem = 'length' | 'characters' | 'region' | 'birth-date' | 'checksum';

/** Why an identity number is malformed, or null when it is valid. */
export function identityNumberProblem(
  id: string,
  today = new Date(),
): IdentityNumberProblem | null {
  if (id.length !== 18) return 'length';
  if (!/^\d{17}[\dX]$/.test(id)) return 'characters';
  if (!PROVINCES.has(id.slice(0, 2)) || id.slice(2, 6) === '0000') return 'region';
  const year = Number(id.slice(6, 10));
  const month = Number(id.slice(10, 12));
  const day = Number(id.slice(12, 14));
  const birth = new Date(Date.UTC(year, month - 1, day));
  if (
    year < 1880 ||
    birth.getUTCFullYear() !== year ||
    birth.getUTCMonth() !== month - 1 ||
    birth.getUTCDate() !== day ||
    birth.getTime() > today.getTime()
  ) {
    return 'birth-date';
  }
  if (checkCharacter(id) !== id[17]) return 'checksum';
  return null;
}

export function isIdentityNumber(id: string): boolean {
  return identityNumberProblem(id) === null;
}

/** Builds a valid number from its parts (the synthetic-data generator's only way to make one). */
export function makeIdentityNumber(region: string, birthDate: string, sequence: number): string {
  const first17 = `${region}${birthDate.replace(/-/g, '')}${String(sequence).padStart(3, '0')}`;
  if (!/^\d{17}$/.test(first17)) throw new Error('identity number parts are malformed');
  return first17 + checkCharacter(first17);
}

/** 440106********1234: region kept for routing, birth date and sequence hidden. */
export function maskIdentityNumber(id: string): string {
  return id.length === 18 ? `${id.slice(0, 6)}********${id.slice(14)}` : '*'.repeat(id.length);
}

/** 张*明 / 张* : family name and last character kept. */
export function maskName(name: string): string {
  const chars = Array.from(name);
  if (chars.length <= 1) return name;
  if (chars.length === 2) return `${chars[0]}*`;
  return `${chars[0]}${'*'.repeat(chars.length - 2)}${chars[chars.length - 1]}`;
}
