import { describeEvent } from '../../src/events/describeEvent';

const httpEvent = {
  version: 'v1',
  rawPath: '/orders/7',
  headers: {
    traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
    'Content-Type': 'text/plain',
  },
  queryParameters: {},
  body: 'aGVsbG8=',
  isBase64Encoded: true,
  requestContext: {
    accountId: '123',
    domainName: 'example.fcapp.run',
    http: {
      method: 'POST',
      path: '/orders/7',
      protocol: 'HTTP/1.1',
      sourceIp: '10.0.0.1',
      userAgent: 'curl',
    },
    requestId: 'r-1',
    time: '',
    timeEpoch: '0',
  },
};

describe('describeEvent', () => {
  describe('when the event is an FC 3.0 HTTP-trigger event', () => {
    it('reads trigger, method, path and headers from a Buffer of JSON', () => {
      expect(describeEvent(Buffer.from(JSON.stringify(httpEvent)))).toEqual({
        trigger: 'http',
        headers: httpEvent.headers,
        method: 'POST',
        path: '/orders/7',
      });
    });

    it('reads the same from a string or a parsed object', () => {
      expect(describeEvent(JSON.stringify(httpEvent)).trigger).toBe('http');
      expect(describeEvent(httpEvent).method).toBe('POST');
    });
  });

  describe('when the event comes from another trigger', () => {
    it('recognises timer events', () => {
      const timer = { triggerTime: '2026-01-01T00:00:00Z', triggerName: 'every-minute', payload: '' };
      expect(describeEvent(Buffer.from(JSON.stringify(timer)))).toEqual({ trigger: 'timer' });
    });

    it('recognises OSS events as datasource', () => {
      const oss = { events: [{ eventName: 'ObjectCreated:PutObject', eventSource: 'acs:oss' }] };
      expect(describeEvent(Buffer.from(JSON.stringify(oss)))).toEqual({ trigger: 'datasource' });
    });
  });

  describe('when only an HTTP request is looked for (the trigger is set by the options)', () => {
    it("reads an HTTP-trigger event's request as before", () => {
      expect(describeEvent(Buffer.from(JSON.stringify(httpEvent)), true)).toEqual({
        trigger: 'http',
        headers: httpEvent.headers,
        method: 'POST',
        path: '/orders/7',
      });
    });

    it('does not look into timer or OSS events', () => {
      const timer = { triggerTime: '2026-01-01T00:00:00Z', triggerName: 'every-minute', payload: '' };
      const oss = { events: [{ eventName: 'ObjectCreated:PutObject', eventSource: 'acs:oss' }] };
      expect(describeEvent(Buffer.from(JSON.stringify(timer)), true)).toEqual({ trigger: 'other' });
      expect(describeEvent(JSON.stringify(oss), true)).toEqual({ trigger: 'other' });
    });
  });

  describe('when the JSON starts after whitespace', () => {
    it('reads it', () => {
      expect(describeEvent(Buffer.from(`\n\t  ${JSON.stringify(httpEvent)}`)).trigger).toBe('http');
      expect(describeEvent(`\r\n${JSON.stringify(httpEvent)}`).trigger).toBe('http');
    });
  });

  describe('when the event is not JSON or too large', () => {
    it.each([
      ['binary bytes', Buffer.from([0xff, 0x00, 0x7b])],
      ['an empty Buffer', Buffer.alloc(0)],
      ['an empty string', ''],
      ['JSON after 16 bytes of whitespace', Buffer.from(`${' '.repeat(16)}${JSON.stringify(httpEvent)}`)],
      ['truncated JSON', Buffer.from('{"requestContext":')],
      ['a JSON array', Buffer.from('[1,2]')],
      ['plain text', 'hello'],
      ['a number', 7],
      ['null', null],
      ['more than 1 MiB', Buffer.from(`{"headers":{},"pad":"${'x'.repeat(1024 * 1024)}"}`)],
    ])('gives trigger other for %s', (_label, event) => {
      expect(describeEvent(event)).toEqual({ trigger: 'other' });
    });
  });
});
