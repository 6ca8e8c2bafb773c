import { W3CTraceState } from '../../src/propagation/W3CTraceState';

const members = (count: number, from = 1) =>
  Array.from({ length: count }, (_, i) => `bar${String(i + from).padStart(2, '0')}=${i + from}`);

describe('W3CTraceState', () => {
  describe('when the header is well formed', () => {
    it('keeps members in order', () => {
      expect(W3CTraceState.parse('foo=1,bar=2,rojo=1,congo=2,baz=3')?.serialize()).toBe(
        'foo=1,bar=2,rojo=1,congo=2,baz=3',
      );
    });

    it('ignores spaces and tabs around members, and empty members', () => {
      const state = W3CTraceState.parse(' \tfoo=1 \t , \t bar=2,\t \tbaz=3 \t,, ,');
      expect(state?.serialize()).toBe('foo=1,bar=2,baz=3');
    });

    it('keeps the leading spaces of a value and drops its trailing ones', () => {
      expect(W3CTraceState.parse('foo=  1  ')?.get('foo')).toBe('  1');
    });

    it('accepts every character the grammar allows in keys and values', () => {
      const key = 'abcdefghijklmnopqrstuvwxyz0123456789_-*/';
      let value = '';
      for (let code = 0x20; code <= 0x7e; code++)
        if (code !== 0x2c && code !== 0x3d) value += String.fromCharCode(code);
      value = value.trimEnd();
      for (const k of [key, `${key}@a-z0-9_-*/`])
        expect(W3CTraceState.parse(`${k}=${value}`)?.get(k)).toBe(value);
    });

    it.each([
      'foo@',
      'foo@@bar',
      'foo@bar@baz',
      `${'t'.repeat(241)}@${'v'.repeat(14)}`,
      `${'t'.repeat(242)}@v`,
      `t@${'v'.repeat(15)}`,
      '1special',
      'z'.repeat(256),
    ])('accepts the key %s (at signs after the first character; 256 characters at most)', (key) => {
      const state = W3CTraceState.parse(`foo=1,${key}=1`);
      expect(state?.get(key)).toBe('1');
      expect(state?.get('foo')).toBe('1');
    });

    it('accepts 32 members, also when they come in several header fields (combined with commas)', () => {
      const combined = [
        members(10).join(','),
        members(10, 11).join(','),
        members(10, 21).join(','),
        members(2, 31).join(','),
      ].join(',');
      const state = W3CTraceState.parse(combined);
      expect(state?.get('bar01')).toBe('1');
      expect(state?.serialize().split(',')).toHaveLength(32);
    });

    it('keeps the first of repeated keys', () => {
      expect(W3CTraceState.parse('foo=1,foo=2')?.serialize()).toBe('foo=1');
    });

    it('gives an empty state for an empty header', () => {
      expect(W3CTraceState.parse('')?.isEmpty()).toBe(true);
      expect(W3CTraceState.parse(' , ')?.isEmpty()).toBe(true);
    });
  });

  describe('when the header is malformed, it is dropped whole', () => {
    it.each([
      ['a space inside a key', 'foo =1'],
      ['an upper-case key', 'FOO=1'],
      ['a dot in a key', 'foo.bar=1'],
      ['a key starting with an at sign', '@foo=1,bar=2'],
      ['a key of 257 characters', `foo=1,${'z'.repeat(257)}=1`],
      ['an equals sign inside a value', 'foo=bar=baz'],
      ['an empty value', 'foo=,bar=3'],
      ['a value of 257 characters', `foo=${'v'.repeat(257)}`],
      ['a tab inside a value', 'foo=a\tb'],
      ['a non-ASCII value', 'foo=caf\u00e9'],
      ['a member without an equals sign', 'foo=1,bar'],
      ['33 members', members(33).join(',')],
    ])('rejects %s', (_label, header) => {
      expect(W3CTraceState.parse(header)).toBeUndefined();
    });
  });

  describe('when a member is set', () => {
    it('puts it first, replacing the same key, and keeps at most 32 members', () => {
      const full = W3CTraceState.parse(members(32).join(','))!;
      const updated = full.set('bar05', 'new').set('mine', 'x');
      const serialized = updated.serialize().split(',');
      expect(serialized[0]).toBe('mine=x');
      expect(serialized[1]).toBe('bar05=new');
      expect(serialized).toHaveLength(32);
      expect(updated.get('bar32')).toBeUndefined();
    });

    it('ignores an invalid key or value', () => {
      const state = W3CTraceState.parse('foo=1')!;
      expect(state.set('BAD', '1').serialize()).toBe('foo=1');
      expect(state.set('ok', 'a,b').serialize()).toBe('foo=1');
      expect(state.unset('foo').serialize()).toBe('');
    });
  });
});
