"""aiozipkin 1.1 (B3) as a peer of Tracery, instrumenting aiohttp as its users do: the server through
`aiozipkin.setup(app, tracer)` (its middleware reads `b3` or `X-B3-*` and makes the request's span), the client
through `aiozipkin.make_trace_config(tracer)` on a ClientSession (it starts a client span under the span passed
as `trace_request_ctx` and writes its `X-B3-*` headers). Codec `b3` (the only one it writes). Spans go to
aiozipkin's stub transport (kept in memory). Protocol: see peer_common.py; baggage: B3 has none.
"""
import asyncio
import sys

import aiohttp
import aiozipkin
from aiohttp import web
from aiozipkin.sampler import Sampler

import peer_common


def report(context, headers):
    return peer_common.span_report(
        trace_id=context.trace_id,
        span_id=context.span_id,
        parent_id=context.parent_id,
        sampled=context.sampled,
        debug=context.debug,
        baggage={},
        headers=headers,
    )


async def run_server(count):
    endpoint = aiozipkin.create_endpoint('python-aiozipkin-server')
    tracer = await aiozipkin.create_custom(endpoint, sampler=Sampler(sample_rate=1.0))
    answered = asyncio.Event()
    seen = 0

    async def handle(request):
        nonlocal seen
        span = aiozipkin.request_span(request)
        body = report(span.context, dict(request.headers))
        seen += 1
        if seen >= count:
            answered.set()
        return web.json_response(body, headers={'connection': 'close'})

    app = web.Application()
    aiozipkin.setup(app, tracer)
    app.router.add_get('/{tail:.*}', handle)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, '127.0.0.1', 0)
    await site.start()
    print(f'LISTENING {runner.addresses[0][1]}', flush=True)
    await answered.wait()
    await runner.cleanup()


async def run_client(url, cases):
    endpoint = aiozipkin.create_endpoint('python-aiozipkin-client')
    tracer = await aiozipkin.create_custom(endpoint)
    timeout = aiohttp.ClientTimeout(total=10)
    async with aiohttp.ClientSession(trace_configs=[aiozipkin.make_trace_config(tracer)], timeout=timeout) as session:
        for case in cases:
            root = tracer.new_trace(sampled=case != 'unsampled', debug=case == 'debug')
            with root:
                async with session.get(url, trace_request_ctx={'span_context': root.context}) as answer:
                    received = await answer.json()
                    headers = dict(answer.request_info.headers)
            # The span whose headers were sent is the client span aiozipkin started under `root`.
            sent_headers = {name.lower(): value for name, value in headers.items()}
            sent = report(
                root.context._replace(
                    span_id=sent_headers.get('x-b3-spanid'), parent_id=sent_headers.get('x-b3-parentspanid')
                ),
                headers,
            )
            peer_common.print_call(case, sent, received)
    await tracer.close()


def main():
    mode = sys.argv[1]
    peer_common.exit_at_deadline(f'python aiozipkin {mode}')
    if mode == 'server':
        asyncio.run(run_server(int(sys.argv[3])))
    else:
        asyncio.run(run_client(sys.argv[3], sys.argv[4:]))


if __name__ == '__main__':
    main()
