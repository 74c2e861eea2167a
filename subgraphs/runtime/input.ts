/** Input checks shared by departments; each failure is BAD_USER_INPUT naming what is wrong. */
import { badUserInput } from '../../schema/errors.ts';
import { identityNumberProblem } from '../../schema/identity-number.ts';

const PROBLEM_TEXT = {
  length: 'must be 18 characters',
  characters: 'must be 17 digits and a digit or X',
  region: 'has an unknown region code',
  'birth-date': 'has an impossible birth date',
  checksum: 'has a wrong check character',
} as const;

/** Returns the id when it is a valid resident identity number; never echoes the value. */
export function assertIdentityNumber(id: string, argument = 'id'): string {
  const problem = identityNumberProblem(id);
  if (problem) {
    throw badUserInput(`${argument} is not a valid identity number: it ${PROBLEM_TEXT[problem]}`, {
      argument,
      reason: problem,
    });
  }
  return id;
}

/** Household numbers: a 6-digit county code and 9 digits. */
export function assertHouseholdNumber(id: string, argument = 'id'): string {
  if (!/^44\d{13}$/.test(id)) {
    throw badUserInput(
      `${argument} is not a valid household number: it must be 15 digits starting 44`,
      {
        argument,
      },
    );
  }
  return id;
}
