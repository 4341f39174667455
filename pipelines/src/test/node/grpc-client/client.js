#!/usr/bin/env node
// A client of sluice dcb-api's gRPC port written against @grpc/grpc-js, the .proto files loaded as
// they are from schemas/ (no generated code of ours): if this works, a stranger's client works.
//
//   node client.js --target 127.0.0.1:9090 --proto-dir schemas/src/main/proto [--tag T] [--token TOKEN]
//
// It exercises each streaming pattern under a tag of its own and prints ONE JSON object on stdout
// saying what it observed; it asserts nothing itself (DcbGrpcNodeClientIT does), so a wrong answer
// shows up as a value, not as a crash. uint64 fields are printed as decimal strings (proto-loader's
// longs: String), so no position loses precision in JavaScript. Exit 0 when every call completed,
// 1 (with {"error": ...} on stdout) when one failed unexpectedly.
'use strict';

const path = require('path');
const grpc = require('@grpc/grpc-js');
const protoLoader = require('@grpc/proto-loader');

const DEADLINE_MS = 30_000;

function parseArgs(argv) {
  const args = { tag: `node:${process.pid}:${Date.now()}` };
  for (let i = 0; i < argv.length; i += 2) {
    const [name, value] = [argv[i], argv[i + 1]];
    if (value === undefined) throw new Error(`${name} needs a value`);
    if (name === '--target') args.target = value;
    else if (name === '--proto-dir') args.protoDir = value;
    else if (name === '--tag') args.tag = value;
    else if (name === '--token') args.token = value;
    else throw new Error(`unknown option ${name}`);
  }
  if (!args.target || !args.protoDir) throw new Error('usage: client.js --target HOST:PORT --proto-dir DIR [--tag T] [--token TOKEN]');
  return args;
}

function loadServices(protoDir) {
  const definition = protoLoader.loadSync(['sluice/v1/dcb.proto', 'sluice/v1/intake.proto'], {
    includeDirs: [protoDir],
    keepCase: true, // field names as the .proto spells them (command_id, not commandId)
    longs: String,
    enums: String,
    defaults: true,
    oneofs: true,
  });
  const v1 = grpc.loadPackageDefinition(definition).sluice.v1;
  return { DcbService: v1.DcbService, IntakeService: v1.IntakeService };
}

// grpc-js reports status codes as numbers; the test compares names, as a reader of the docs would.
const STATUS_NAMES = Object.fromEntries(Object.entries(grpc.status).map(([name, code]) => [code, name]));

function deadline() {
  return new Date(Date.now() + DEADLINE_MS);
}

function byTag(tag) {
  return { items: [{ types: [], tags: [tag] }] };
}

function newEvents(tag, data, count) {
  return Array.from({ length: count }, (_, i) => ({ type: 'NodeTested', tags: [tag], data: `${data}-${i}` }));
}

function unary(client, method, request, metadata) {
  return new Promise((resolve, reject) => {
    client[method](request, metadata, { deadline: deadline() }, (err, response) => (err ? reject(err) : resolve(response)));
  });
}

async function append(dcb, metadata, request) {
  const r = await unary(dcb, 'Append', request, metadata);
  return { first: r.first_position, last: r.last_position };
}

async function conditionFailure(dcb, metadata, tag) {
  try {
    await unary(dcb, 'Append', {
      command_id: '', events: newEvents(tag, 'never', 1),
      condition: { fail_if_events_match: byTag(tag), after: '0' },
    }, metadata);
    return { status: 'OK' };
  } catch (err) {
    if (err.code === undefined) throw err;
    return { status: STATUS_NAMES[err.code], code: err.code };
  }
}

function read(dcb, metadata, request) {
  return new Promise((resolve, reject) => {
    const events = [];
    const call = dcb.Read(request, metadata, { deadline: deadline() });
    call.on('data', (r) => r.events.forEach((e) => events.push({ position: e.position, data: e.data })));
    call.on('error', reject);
    call.on('end', () => resolve(events));
  });
}

// Catch-up until the heartbeat, then one append of ours arrives live; then we cancel, as a client does.
function subscribe(dcb, metadata, tag) {
  return new Promise((resolve, reject) => {
    const observed = { catchUp: [], heartbeatHead: null, live: null, endStatus: null };
    const call = dcb.Subscribe({ query: byTag(tag), after: '0' }, metadata, { deadline: deadline() });
    let liveAppend = null;
    call.on('data', (r) => {
      if (r.message === 'heartbeat') {
        if (observed.heartbeatHead === null) {
          observed.heartbeatHead = r.heartbeat.head;
          liveAppend = append(dcb, metadata, { command_id: '', events: newEvents(tag, 'live', 1) });
          liveAppend.catch(reject);
        }
      } else if (observed.heartbeatHead === null) {
        observed.catchUp.push(r.event.position);
      } else if (observed.live === null) {
        observed.live = { position: r.event.position, data: r.event.data };
        call.cancel();
      }
    });
    // grpc-js may end the stream before it reports the status; the status says how the call ended.
    call.on('error', (err) => { if (observed.live === null) reject(err); });
    call.on('status', (status) => {
      observed.endStatus = STATUS_NAMES[status.code];
      if (observed.live === null) reject(new Error(`the subscription ended first: ${observed.endStatus} ${status.details}`));
      else liveAppend.then((appended) => resolve({ ...observed, liveAppended: appended.first }), reject);
    });
  });
}

// Writes every request at once (the server paces them), half-closes, collects the answers in arrival order.
function appendStream(dcb, metadata, mode, requests) {
  return new Promise((resolve, reject) => {
    const answers = [];
    const call = dcb.AppendStream(metadata, { deadline: deadline() });
    call.on('data', (r) => answers.push(r.result === 'appended'
      ? { commandId: r.command_id, first: r.appended.first_position, last: r.appended.last_position }
      : { commandId: r.command_id, errorCode: r.error.code, errorStatus: STATUS_NAMES[r.error.code] }));
    call.on('error', reject);
    call.on('end', () => resolve(answers));
    requests.forEach((append, i) => call.write(i === 0 ? { mode, append } : { append }));
    call.end();
  });
}

function streamRequests(tag, label, count) {
  return Array.from({ length: count }, (_, i) => ({ command_id: `${tag}#${label}${i}`, events: newEvents(tag, `${label}${i}`, 1) }));
}

function publishDids(intake, metadata, batches) {
  return new Promise((resolve, reject) => {
    const call = intake.PublishDids(metadata, { deadline: deadline() }, (err, r) => (err ? reject(err) : resolve({
      runId: r.run_id, topic: r.topic, lines: r.lines, published: r.published, duplicates: r.duplicates,
      invalid: r.invalid, invalidLines: r.invalid_lines.map((l) => ({ line: l.line, text: l.text })),
    })));
    batches.forEach((lines) => call.write({ lines }));
    call.end();
  });
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const { DcbService, IntakeService } = loadServices(path.resolve(args.protoDir));
  const credentials = grpc.credentials.createInsecure();
  const dcb = new DcbService(args.target, credentials);
  const intake = new IntakeService(args.target, credentials);
  const metadata = new grpc.Metadata();
  if (args.token) metadata.set('authorization', `Bearer ${args.token}`);
  const tag = args.tag;
  try {
    const appended = await append(dcb, metadata, { command_id: '', events: newEvents(`${tag}:read`, 'r', 3) });
    const observed = {
      tag,
      grpcJsVersion: require('@grpc/grpc-js/package.json').version,
      append: appended,
      read: await read(dcb, metadata, { query: byTag(`${tag}:read`), after: '0', limit: 0, backwards: false }),
      readBackwardsLimit2: (await read(dcb, metadata, { query: byTag(`${tag}:read`), after: '0', limit: 2, backwards: true }))
        .map((e) => e.position),
      conditionFailure: await conditionFailure(dcb, metadata, `${tag}:read`),
      subscribe: await subscribe(dcb, metadata, `${tag}:read`),
      ordered: await appendStream(dcb, metadata, 'ORDERED', [
        ...streamRequests(`${tag}:ordered`, 'o', 5),
        { command_id: `${tag}:ordered#failing`, events: newEvents(`${tag}:ordered`, 'never', 1),
          condition: { fail_if_events_match: byTag(`${tag}:ordered`), after: '0' } },
        ...streamRequests(`${tag}:ordered`, 'p', 2),
      ]),
      async: await appendStream(dcb, metadata, 'ASYNC', streamRequests(`${tag}:async`, 'a', 20)),
      publishDids: await publishDids(intake, metadata, [
        ['did:plc:abcdefghijklmnopqrstuvwx', '# a comment', 'not-a-did'],
        ['did:plc:abcdefghijklmnopqrstuvwx', 'did:web:example.com'],
      ]),
    };
    process.stdout.write(`${JSON.stringify(observed)}\n`);
  } finally {
    dcb.close();
    intake.close();
  }
}

main().catch((err) => {
  process.stdout.write(`${JSON.stringify({ error: String(err && err.stack || err), code: err && err.code })}\n`);
  process.exitCode = 1;
});
