"""Jaeger's Python client (jaeger-client 4.8, OpenTracing) as a peer of Tracery, configured as its users do:
`Config(config={'sampler': {'type': 'const', 'param': ...}}, ...)`, and `tracer.inject/extract` in the format
given on the command line: `http_headers` (Format.HTTP_HEADERS, URL-encoded baggage) or `text_map`
(Format.TEXT_MAP, values as they are). Protocol: see peer_common.py.

Spans are not reported anywhere unless TRACERY_PEER_AGENT_PORT names the UDP port of a Jaeger agent on
127.0.0.1 (the compact Thrift protocol): then the client's spans are sent there, and flushed before it exits.
"""
import os
import sys

from jaeger_client import Config
from jaeger_client.reporter import NullReporter
from opentracing import Format
from tornado.ioloop import IOLoop

import peer_common

FORMATS = {'http_headers': Format.HTTP_HEADERS, 'text_map': Format.TEXT_MAP}


def make_config(service_name, sampled):
    config = {'sampler': {'type': 'const', 'param': 1 if sampled else 0}, 'logging': False}
    agent_port = os.environ.get('TRACERY_PEER_AGENT_PORT')
    if agent_port:
        config['local_agent'] = {'reporting_host': '127.0.0.1', 'reporting_port': int(agent_port)}
    return Config(config=config, service_name=service_name, validate=True)


def make_tracer(service_name, sampled, io_loop=None):
    config = make_config(service_name, sampled)
    if os.environ.get('TRACERY_PEER_AGENT_PORT'):
        return config.new_tracer(io_loop=io_loop)
    return config.create_tracer(reporter=NullReporter(), sampler=config.sampler)


def report(span, headers):
    context = span.context
    return peer_common.span_report(
        trace_id=peer_common.hex_id(context.trace_id, 32),
        span_id=peer_common.hex_id(context.span_id, 16),
        parent_id=peer_common.hex_id(context.parent_id, 16),
        sampled=span.is_sampled(),
        debug=span.is_debug(),
        baggage=context.baggage,
        headers=headers,
    )


def run_server(codec, count):
    tracer = make_tracer('python-jaeger-server', sampled=True)

    def handle(headers, path):
        carrier = {name: value for name, value in headers.items()}
        parent = tracer.extract(FORMATS[codec], carrier)
        span = tracer.start_span(f'GET {path}', child_of=parent, tags={'span.kind': 'server'})
        try:
            return report(span, carrier)
        finally:
            span.finish()

    peer_common.serve(count, handle)


async def run_client(codec, url, cases):
    io_loop = IOLoop.current()
    tracers = {
        'sampled': make_tracer('python-jaeger-client', sampled=True, io_loop=io_loop),
        'unsampled': make_tracer('python-jaeger-client', sampled=False, io_loop=io_loop),
    }
    for case in cases:
        tracer = tracers['unsampled' if case == 'unsampled' else 'sampled']
        # sampling.priority > 0 makes a debug trace (Jaeger's flag 0x02), as OpenTracing says.
        tags = {'span.kind': 'client', **({'sampling.priority': 1} if case == 'debug' else {})}
        span = tracer.start_span('GET /peer', tags=tags)
        for key, value in peer_common.BAGGAGE.items():
            span.set_baggage_item(key, value)
        headers = {}
        tracer.inject(span.context, FORMATS[codec], headers)
        sent = report(span, headers)
        received = peer_common.get(url, headers)
        span.finish()
        peer_common.print_call(case, sent, received)
    for tracer in tracers.values():
        await tracer.close()


def main():
    mode, codec = sys.argv[1], sys.argv[2]
    peer_common.exit_at_deadline(f'python jaeger-client {mode}')
    if mode == 'server':
        run_server(codec, int(sys.argv[3]))
    else:
        IOLoop.current().run_sync(lambda: run_client(codec, sys.argv[3], sys.argv[4:]))


if __name__ == '__main__':
    main()
