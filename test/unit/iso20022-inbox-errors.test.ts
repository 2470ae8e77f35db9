import { ConnectionException, DeadlockException, DriverException, UniqueConstraintViolationException } from '@mikro-orm/core';
import { isInfrastructureError } from '../../src/banks/iso20022/inbox-processor';
import { MalformedFileError } from '../../src/banks/iso20022/xml-read';

const pg = (code: string, message = `pg ${code}`) => Object.assign(new Error(message), { code });

test('database, network and disk failures are ours: the file is retried, not refused', () => {
  const ours = [
    new DeadlockException(pg('40P01', 'deadlock detected')),
    new DriverException(pg('40001', 'could not serialize access')),
    new ConnectionException(new Error('connect ECONNREFUSED 127.0.0.1:5432')),
    new DriverException(pg('57P01', 'terminating connection due to administrator command')),
    new DriverException(pg('57014', 'canceling statement due to statement timeout')),
    new DriverException(pg('53300', 'too many connections')),
    new DriverException(pg('55P03', 'could not obtain lock')),
    new DriverException(pg('08006')),
    Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }),
    Object.assign(new Error('EIO: i/o error, read'), { code: 'EIO' }),
    Object.assign(new Error('Knex: Timeout acquiring a connection. The pool is probably full.'), { name: 'KnexTimeoutError' }),
    new Error('Connection terminated unexpectedly'),
    new Error('commit failed', { cause: new DeadlockException(pg('40P01')) }),
  ];
  for (const e of ours) expect([e.message, isInfrastructureError(e)]).toEqual([e.message, true]);
});

test('malformed content and content refusals are the file’s: it goes to failed/', () => {
  const theirs = [
    new MalformedFileError('not well-formed XML: unclosed tag (line 3)'),
    new Error('pain.002 CMB-1 reports unknown EndToEndId PDPAY2026999999'),
    new Error('statement S1 is for an account paydesk does not hold (**** 2222)'),
    new UniqueConstraintViolationException(pg('23505', 'duplicate key value violates unique constraint')),
    new TypeError("Cannot read properties of undefined (reading 'Amt')"),
    'a thrown string',
    undefined,
  ];
  for (const e of theirs) expect([String(e), isInfrastructureError(e)]).toEqual([String(e), false]);
});
