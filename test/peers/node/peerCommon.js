// What the Node peers of test/peers share: the command line and output every peer program speaks (see
// test/peers/peers.ts), a bounded HTTP GET and the trace headers of a request.
//   node <peer>.js server <codec> <count>          prints `LISTENING <port>`, answers <count> GET requests with
//                                                  what it read (JSON), then exits
//   node <peer>.js client <codec> <url> <case>...  one GET per case (sampled, unsampled, debug), each a new trace
//                                                  with BAGGAGE; prints `CALL {"case", "sent", "received"}`
const http = require('http');
const { setTimeout } = require('timers');

const BAGGAGE = { tenant: 'acme', note: 'gold silver', sum: '1+1' };
const TRACE_HEADER = /^(traceparent|tracestate|baggage|uber-trace-id|uberctx-.*|b3|x-b3-.*)$/;

/** Whatever goes wrong, the process ends by itself. */
function exitAtDeadline(name) {
  setTimeout(() => {
    process.stderr.write(`${name}: deadline reached\n`);
    process.exit(3);
  }, 20000).unref();
}

function traceHeaders(headers) {
  const out = {};
  for (const [name, value] of Object.entries(headers)) {
    if (TRACE_HEADER.test(name.toLowerCase()) && value !== undefined) out[name.toLowerCase()] = String(value);
  }
  return out;
}

/** An id as lower-case hex left-padded to `digits`; null for none. */
function hexId(id, digits) {
  return id ? String(id).toLowerCase().padStart(digits, '0') : null;
}

function get(url, headers) {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { headers, agent: false, timeout: 10000 }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => (text += chunk));
      res.on('end', () =>
        res.statusCode === 200
          ? resolve(JSON.parse(text))
          : reject(new Error(`HTTP ${res.statusCode}: ${text}`)),
      );
    });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', reject);
  });
}

function printCall(name, sent, received) {
  process.stdout.write(`CALL ${JSON.stringify({ case: name, sent, received })}\n`);
}

function printListening(server) {
  process.stdout.write(`LISTENING ${server.address().port}\n`);
}

module.exports = { BAGGAGE, exitAtDeadline, traceHeaders, hexId, get, printCall, printListening };
