/**
 * How long a revocation is kept: longer than any consent lives, since a revocation matters only
 * while its consent can still be presented. Consents last at most a year (the development
 * authority issues at most 365 days); 400 days leave room for clock skew. When the catalogue sets
 * per-purpose maximum consent lifetimes, enforced where consents are verified, derive this from
 * the longest of them.
 */
export const REVOCATION_RETENTION_MS = 400 * 24 * 3600 * 1000;
