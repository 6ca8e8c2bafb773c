"""What the Python peers of test/peers share: the command line and output every peer program speaks (see
test/peers/peers.ts), a bounded one-request-at-a-time HTTP server on 127.0.0.1 and a bounded HTTP GET.

  <peer>.py server <codec> <count>         prints `LISTENING <port>`, answers <count> GET requests, each with
                                           what it read as JSON (a `seen` dict), and exits
  <peer>.py client <codec> <url> <case>... one GET of <url> per case (sampled, unsampled, debug), each a new
                                           trace with BAGGAGE; prints `CALL {"case", "sent", "received"}`
"""
import http.server
import json
import os
import sys
import threading
import urllib.request

BAGGAGE = {'tenant': 'acme', 'note': 'gold silver', 'sum': '1+1'}
DEADLINE_SECONDS = 20
TRACE_HEADERS = ('traceparent', 'tracestate', 'baggage', 'uber-trace-id', 'b3')
TRACE_HEADER_PREFIXES = ('uberctx-', 'x-b3-')


def exit_at_deadline(name):
    """Whatever goes wrong, the process ends by itself."""
    def stop():
        sys.stderr.write(f'{name}: deadline reached\n')
        sys.stderr.flush()
        os._exit(3)
    timer = threading.Timer(DEADLINE_SECONDS, stop)
    timer.daemon = True
    timer.start()


def trace_headers(headers):
    """The trace headers of a request or of a carrier, names in lower case."""
    out = {}
    for name, value in headers.items():
        lower = name.lower()
        if lower in TRACE_HEADERS or lower.startswith(TRACE_HEADER_PREFIXES):
            out[lower] = value
    return out


def hex_id(value, digits):
    """An integer id as lower-case hex, left-padded to `digits` (None for no id)."""
    return None if not value else format(value, 'x').zfill(digits)


def span_report(trace_id, span_id, parent_id, sampled, debug, baggage, headers):
    return {
        'traceId': trace_id,
        'spanId': span_id,
        'parentId': parent_id,
        'sampled': bool(sampled),
        'debug': debug,
        'baggage': dict(baggage or {}),
        'headers': trace_headers(headers),
    }


def serve(count, handle):
    """Answers `count` GET requests with `handle(headers, path)` (a dict, sent as JSON), then returns."""
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            body = json.dumps(handle(self.headers, self.path)).encode('utf-8')
            self.send_response(200)
            self.send_header('content-type', 'application/json')
            self.send_header('content-length', str(len(body)))
            self.send_header('connection', 'close')
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(('127.0.0.1', 0), Handler)
    print(f'LISTENING {server.server_address[1]}', flush=True)
    try:
        for _ in range(count):
            server.handle_request()
    finally:
        server.server_close()


def get(url, headers):
    """One GET with the given headers (10 s at most); the answer's JSON."""
    request = urllib.request.Request(url, headers=headers)
    with urllib.request.urlopen(request, timeout=10) as answer:
        return json.loads(answer.read().decode('utf-8'))


def print_call(case, sent, received):
    print('CALL ' + json.dumps({'case': case, 'sent': sent, 'received': received}), flush=True)
