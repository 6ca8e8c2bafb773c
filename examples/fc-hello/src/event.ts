/** FC hands an event handler its event as a Buffer; this one expects JSON like `{"name":"FC"}`. */
export function nameFromEvent(event: Buffer | string | undefined): string {
  try {
    const parsed: unknown = JSON.parse(String(event ?? '{}'));
    if (parsed && typeof parsed === 'object' && typeof (parsed as { name?: unknown }).name === 'string') {
      return (parsed as { name: string }).name;
    }
  } catch {
    // not JSON: greet the world
  }
  return 'world';
}
