/**
 * Batched HTTP requests (a JSON array of operations) are refused: each operation must be
 * authorised, rate-limited, measured and audited on its own, and one HTTP request carrying
 * many would slip past the per-request limits. Apollo Server's own refusal is a generic
 * BAD_REQUEST; this one is coded and says what to do instead.
 */
import { badUserInput } from '../../schema/errors.ts';

export function batchRefused() {
  return badUserInput(
    'Batched requests are not accepted: send one operation per request (HTTP keep-alive makes that cheap)',
  );
}
