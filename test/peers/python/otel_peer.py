"""OpenTelemetry Python 1.12 (the version Function Compute's Python tracing sample pins) as a peer of Tracery.
Codecs:
  w3c  OpenTelemetry's global propagator (W3C traceparent and baggage), `propagate.inject/extract`
  fc   server only: the `uber-trace-id` value read as FC's `span_context` string the way FC's Python sample
       reads it: split on ':', trace and span id by int(..., 16), the trace flags forced to sampled, wrapped in
       a NonRecordingSpan as the parent
Protocol: see peer_common.py. With TRACERY_PEER_JAEGER_ENDPOINT (Jaeger Thrift over HTTP, as FC's
`jaeger_endpoint`), spans are exported there as FC's sample does (JaegerExporter(collector_endpoint=...) with a
SimpleSpanProcessor), and the provider is shut down before the process exits.
"""
import logging
import os
import sys

from opentelemetry import baggage, propagate, trace
from opentelemetry.sdk.resources import SERVICE_NAME, Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.sampling import ALWAYS_OFF, ALWAYS_ON, ParentBased
from opentelemetry.trace import NonRecordingSpan, SpanKind

import peer_common

# OpenTelemetry Python 1.12 refuses a baggage value with a space (BAGGAGE's `gold silver`) and logs a warning
# for it: what it kept is in the `sent` report.
logging.getLogger('opentelemetry.baggage').setLevel(logging.ERROR)


def make_provider(service_name, sampled):
    provider = TracerProvider(
        resource=Resource.create({SERVICE_NAME: service_name}),
        sampler=ParentBased(ALWAYS_ON if sampled else ALWAYS_OFF),
    )
    endpoint = os.environ.get('TRACERY_PEER_JAEGER_ENDPOINT')
    if endpoint:
        from opentelemetry.exporter.jaeger.thrift import JaegerExporter
        provider.add_span_processor(SimpleSpanProcessor(JaegerExporter(collector_endpoint=endpoint)))
    return provider


def fc_parent_context(span_context_string):
    """FC's Python sample, `get_fc_span`: the string split on ':', ids as integers, always sampled."""
    parts = span_context_string.split(':')
    span_context = trace.SpanContext(
        trace_id=int(parts[0], 16),
        span_id=int(parts[1], 16),
        is_remote=True,
        trace_flags=trace.TraceFlags(0x01),
    )
    return trace.set_span_in_context(NonRecordingSpan(span_context))


def report(span, context, headers):
    span_context = span.get_span_context()
    parent = getattr(span, 'parent', None)
    return peer_common.span_report(
        trace_id=peer_common.hex_id(span_context.trace_id, 32),
        span_id=peer_common.hex_id(span_context.span_id, 16),
        parent_id=peer_common.hex_id(parent.span_id, 16) if parent is not None else None,
        sampled=span_context.trace_flags.sampled,
        debug=None,  # W3C Trace Context has no debug flag
        baggage=baggage.get_all(context),
        headers=headers,
    )


def run_server(codec, count):
    provider = make_provider('python-otel-server', sampled=True)
    tracer = provider.get_tracer('tracery-peer')

    def handle(headers, path):
        carrier = {name.lower(): value for name, value in headers.items()}
        if codec == 'fc':
            context = fc_parent_context(carrier['uber-trace-id'])
        else:
            context = propagate.extract(carrier)
        with tracer.start_as_current_span(f'GET {path}', context=context, kind=SpanKind.SERVER) as span:
            return report(span, context, carrier)

    try:
        peer_common.serve(count, handle)
    finally:
        provider.shutdown()


def run_client(url, cases):
    providers = {'sampled': make_provider('python-otel-client', True), 'unsampled': make_provider('python-otel-client', False)}
    for case in cases:
        if case == 'debug':
            raise SystemExit('OpenTelemetry has no debug flag to start a trace with')
        tracer = providers[case].get_tracer('tracery-peer')
        context = None
        for key, value in peer_common.BAGGAGE.items():
            context = baggage.set_baggage(key, value, context)
        with tracer.start_as_current_span('GET /peer', context=context, kind=SpanKind.CLIENT) as span:
            active = trace.set_span_in_context(span, context)
            headers = {}
            propagate.inject(headers, context=active)
            sent = report(span, active, headers)
            received = peer_common.get(url, headers)
        peer_common.print_call(case, sent, received)
    for provider in providers.values():
        provider.shutdown()


def main():
    mode, codec = sys.argv[1], sys.argv[2]
    peer_common.exit_at_deadline(f'python opentelemetry {mode}')
    if mode == 'server':
        run_server(codec, int(sys.argv[3]))
    else:
        run_client(sys.argv[3], sys.argv[4:])


if __name__ == '__main__':
    main()
