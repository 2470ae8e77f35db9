/**
 * Loaded into the paydesk server process by bench/e2e.ts (NODE_OPTIONS=--require …),
 * so the server itself stays exactly what `npm start` runs (src/main.ts → startApp).
 * It counts every SQL round trip the process sends through `pg` (every copy of pg in
 * node_modules is patched) and serves
 * the counts plus process.cpuUsage() as JSON, written to $PAYDESK_PROBE_FILE on SIGUSR2.
 * Plain CommonJS on purpose: it must load before tsx's loader is registered.
 */
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const zero = () => ({ roundTrips: 0, statements: 0, begins: 0, commits: 0, rollbacks: 0, autocommit: 0 });
// `orm`: everything paydesk's own code sends (requests, cards, outbox steps);
// `scheduler`: Agenda's polling and locking. A connection is Agenda's once it has touched
// an agenda_* table or channel: Agenda's pool and paydesk's pool never share a connection.
const counts = { orm: zero(), scheduler: zero() };
const AGENDA = Symbol('paydeskProbeAgenda');
const countsOrm = counts.orm;
const countsScheduler = counts.scheduler;
const IN_TX = Symbol('paydeskProbeInTx');
const LOG = process.env.PAYDESK_PROBE_LOG;

function classify(client, config) {
  const text = typeof config === 'string' ? config : config && typeof config.text === 'string' ? config.text : '';
  if (!client[AGENDA] && /agenda/i.test(text)) client[AGENDA] = true;
  const counts = client[AGENDA] ? countsScheduler : countsOrm;
  counts.roundTrips += 1;
  // PAYDESK_PROBE_LOG=<file>: every statement, for a histogram of what a lifecycle sends (slow; diagnosis only).
  if (LOG) fs.appendFileSync(LOG, `${client[AGENDA] ? 'agenda' : 'paydesk'}\t${text.replace(/\s+/g, ' ').slice(0, 160)}\n`);
  const head = text.trimStart().slice(0, 20).toLowerCase();
  if (head.startsWith('begin') || head.startsWith('start transaction')) {
    counts.begins += 1;
    client[IN_TX] = true;
  } else if (head.startsWith('commit')) {
    counts.commits += 1;
    client[IN_TX] = false;
  } else if (head.startsWith('rollback') && !head.startsWith('rollback to')) {
    counts.rollbacks += 1;
    client[IN_TX] = false;
  } else if (head.startsWith('savepoint') || head.startsWith('release') || head.startsWith('rollback to')) {
    // part of an enclosing transaction; neither a statement of the business logic nor a transaction
  } else {
    counts.statements += 1;
    // A statement outside BEGIN … COMMIT is a transaction of its own.
    if (!client[IN_TX]) counts.autocommit += 1;
  }
}

const root = path.resolve(__dirname, '../..');
const patched = new Set();
for (const from of ['', 'node_modules/@mikro-orm/postgresql', 'node_modules/@mikro-orm/knex', 'node_modules/@agendajs/postgres-backend']) {
  let file;
  try {
    file = require.resolve('pg', { paths: [path.join(root, from)] });
  } catch {
    continue;
  }
  if (patched.has(file)) continue;
  patched.add(file);
  const Client = require(file).Client;
  const original = Client.prototype.query;
  Client.prototype.query = function probedQuery(config, values, callback) {
    try {
      classify(this, config);
    } catch {
      // counting must never break a query
    }
    return original.call(this, config, values, callback);
  };
}

// On SIGUSR2 the counts go to $PAYDESK_PROBE_FILE (written whole, then renamed, so a reader never
// sees half a file). A signal rather than a port: an HTTP server opened this early stalled the start-up.
const file = process.env.PAYDESK_PROBE_FILE;
if (file) {
  let serial = 0;
  process.on('SIGUSR2', () => {
    const cpu = process.cpuUsage();
    serial += 1;
    const body = JSON.stringify({ serial, ...counts, cpuUserMs: cpu.user / 1000, cpuSystemMs: cpu.system / 1000, pgCopies: [...patched] });
    fs.writeFileSync(`${file}.tmp`, body);
    fs.renameSync(`${file}.tmp`, file);
  });
}
