const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** Keeps a refused message's bytes readable when they are text and lossless when they are not. */
export function encodeOriginal(bytes: Uint8Array): { original: string; originalEncoding: 'utf8' | 'base64' } {
  try {
    return { original: strictUtf8.decode(bytes), originalEncoding: 'utf8' };
  } catch {
    return { original: Buffer.from(bytes).toString('base64'), originalEncoding: 'base64' };
  }
}

export function decodeOriginal(original: string, encoding: 'utf8' | 'base64'): Uint8Array {
  return encoding === 'utf8' ? new TextEncoder().encode(original) : Buffer.from(original, 'base64');
}
