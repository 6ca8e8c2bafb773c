# Jaeger's Ruby client (Debian's ruby-jaeger-client 1.3, OpenTracing) as a peer of Tracery, built as its users
# build it (`Jaeger::Client.build` with a const sampler), with the codec named on the command line:
#   text_map  OpenTracing::FORMAT_TEXT_MAP: Jaeger::Injectors/Extractors::JaegerTextMapCodec (values as they are)
#   rack      OpenTracing::FORMAT_RACK: JaegerRackCodec (CGI-escaped values: a space is written `+`)
#   b3        OpenTracing::FORMAT_RACK with B3RackCodec (X-B3-* headers)
# The server is a Rack application under WEBrick; the client calls with Net::HTTP. Spans are not reported
# (NullReporter). Protocol (the same for every peer of test/peers):
#   ruby jaeger_peer.rb server <codec> <count>          prints `LISTENING <port>`, answers <count> GET requests
#                                                        with what it read (JSON), then exits
#   ruby jaeger_peer.rb client <codec> <url> <case>...  one GET per case (sampled, unsampled, debug), each a new
#                                                        trace with BAGGAGE; prints `CALL {"case", "sent", "received"}`
require 'jaeger/client'
require 'json'
require 'logger'
require 'net/http'
require 'rack'
require 'webrick'

BAGGAGE = { 'tenant' => 'acme', 'note' => 'gold silver', 'sum' => '1+1' }.freeze
TRACE_HEADER = /\A(traceparent|tracestate|baggage|uber-trace-id|uberctx-.*|b3|x-b3-.*)\z/.freeze
DEADLINE_SECONDS = 20

mode, codec, *rest = ARGV

# Whatever goes wrong, the process ends by itself.
Thread.new do
  sleep DEADLINE_SECONDS
  warn "ruby jaeger-client #{mode}: deadline reached"
  exit!(3)
end

def tracer_for(sampled, codec)
  codecs = codec == 'b3' ? { OpenTracing::FORMAT_RACK => [Jaeger::Injectors::B3RackCodec] } : {}
  extractors = codec == 'b3' ? { OpenTracing::FORMAT_RACK => [Jaeger::Extractors::B3RackCodec] } : {}
  Jaeger::Client.build(
    service_name: "ruby-jaeger-#{sampled ? 'sampled' : 'unsampled'}",
    sampler: Jaeger::Samplers::Const.new(sampled),
    reporter: Jaeger::Reporters::NullReporter.new,
    logger: Logger.new(nil),
    injectors: codecs,
    extractors: extractors
  )
end

def format_of(codec)
  codec == 'text_map' ? OpenTracing::FORMAT_TEXT_MAP : OpenTracing::FORMAT_RACK
end

def hex(id, digits)
  id.nil? || id.zero? ? nil : id.to_s(16).rjust(digits, '0')
end

def trace_headers(headers)
  headers.each_with_object({}) do |(name, value), out|
    out[name.downcase] = value if TRACE_HEADER.match?(name.downcase)
  end
end

def report(span, headers)
  context = span.context
  {
    traceId: hex(context.trace_id, 32),
    spanId: hex(context.span_id, 16),
    parentId: hex(context.parent_id, 16),
    sampled: context.sampled?,
    debug: context.debug?,
    baggage: context.baggage,
    headers: trace_headers(headers)
  }
end

# The request's headers as Rack has them (`HTTP_UBER_TRACE_ID`), and as names again (`uber-trace-id`).
def header_names(env)
  env.each_with_object({}) do |(key, value), out|
    out[key.delete_prefix('HTTP_').downcase.tr('_', '-')] = value if key.start_with?('HTTP_')
  end
end

def run_server(codec, count)
  tracer = tracer_for(true, codec)
  answered = 0
  server = nil
  app = lambda do |env|
    headers = header_names(env)
    carrier = codec == 'text_map' ? headers : env
    parent = tracer.extract(format_of(codec), carrier)
    span = tracer.start_span("GET #{env['PATH_INFO']}", child_of: parent, tags: { 'span.kind' => 'server' })
    body = JSON.generate(report(span, headers))
    span.finish
    answered += 1
    server.shutdown if answered >= count
    [200, { 'content-type' => 'application/json', 'connection' => 'close' }, [body]]
  end
  Rack::Handler::WEBrick.run(app, Host: '127.0.0.1', Port: 0, Logger: WEBrick::Log.new(nil, 0), AccessLog: []) do |s|
    server = s
    puts "LISTENING #{s.listeners.first.addr[1]}"
    $stdout.flush
  end
end

def run_client(codec, url, cases)
  tracers = { true => tracer_for(true, codec), false => tracer_for(false, codec) }
  uri = URI(url)
  cases.each do |name|
    tracer = tracers[name != 'unsampled']
    span = tracer.start_span('GET /peer', tags: { 'span.kind' => 'client' })
    # sampling.priority > 0 makes a debug trace (Jaeger's flag 0x02), as OpenTracing says.
    span.set_tag('sampling.priority', 1) if name == 'debug'
    BAGGAGE.each { |key, value| span.set_baggage_item(key, value) }
    headers = {}
    tracer.inject(span.context, format_of(codec), headers)
    sent = report(span, headers)
    answer = Net::HTTP.start(uri.host, uri.port, open_timeout: 10, read_timeout: 10) do |http|
      http.get(uri.request_uri, headers)
    end
    raise "HTTP #{answer.code}: #{answer.body}" unless answer.code == '200'

    span.finish
    puts "CALL #{JSON.generate({ case: name, sent: sent, received: JSON.parse(answer.body) })}"
    $stdout.flush
  end
end

if mode == 'server'
  run_server(codec, Integer(rest[0]))
else
  run_client(codec, rest[0], rest[1..])
end
