/**
 * Which database errors are an outage (answered SUBGRAPH_UNAVAILABLE or AUDIT_UNAVAILABLE and
 * retried later) and which are not (a bug or a bad statement stays an internal error).
 */
import { describe, expect, it } from 'vitest';
import { isPostgresUnavailable, postgresErrorCode } from '../../lib/postgres-unavailable.ts';

const coded = (code: string, message = 'x') => Object.assign(new Error(message), { code });

describe('isPostgresUnavailable', () => {
  it.each([
    ['57P01', 'terminating connection due to administrator command'],
    ['57P02', 'crash shutdown'],
    ['57P03', 'the database system is starting up'],
    ['53300', 'too many connections'],
    ['08006', 'connection failure'],
    ['08001', 'unable to connect'],
    ['ECONNREFUSED', 'connect ECONNREFUSED'],
    ['ECONNRESET', 'read ECONNRESET'],
  ])('%s is an outage', (code, message) => {
    expect(isPostgresUnavailable(coded(code, message))).toBe(true);
  });

  it("is the driver's own report of a connection that ended", () => {
    expect(isPostgresUnavailable(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(
      isPostgresUnavailable(
        new Error('Client has encountered a connection error and is not queryable'),
      ),
    ).toBe(true);
  });

  it('looks into a cause and an AggregateError (Node reports each address it tried)', () => {
    expect(isPostgresUnavailable(new Error('wrapped', { cause: coded('57P01') }))).toBe(true);
    expect(isPostgresUnavailable(new AggregateError([coded('ECONNREFUSED')]))).toBe(true);
  });

  it.each([
    ['23505', 'duplicate key'],
    ['42P01', 'relation does not exist'],
    ['22P02', 'invalid input syntax'],
    ['08', 'not a SQLSTATE'],
    ['SQLITE_FULL', 'database or disk is full'],
  ])('%s is not an outage', (code, message) => {
    expect(isPostgresUnavailable(coded(code, message))).toBe(false);
  });

  it('is not any other error or value', () => {
    expect(isPostgresUnavailable(new Error('Connection refused by the policy'))).toBe(false);
    expect(isPostgresUnavailable(new TypeError('x is undefined'))).toBe(false);
    expect(isPostgresUnavailable(undefined)).toBe(false);
    expect(isPostgresUnavailable('57P01')).toBe(false);
  });
});

describe('postgresErrorCode', () => {
  it('gives the code only, never the message', () => {
    expect(postgresErrorCode(coded('23505', 'Key (id)=(440106199001011234) already exists'))).toBe(
      '23505',
    );
    expect(postgresErrorCode(new Error('Connection terminated unexpectedly'))).toBe('none');
  });
});
