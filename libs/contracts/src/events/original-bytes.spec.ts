import { decodeOriginal, encodeOriginal } from './original-bytes';

describe('encodeOriginal', () => {
  it('keeps UTF-8 text readable', () => {
    const bytes = new TextEncoder().encode('{"node":"wëb-1"');
    expect(encodeOriginal(bytes)).toEqual({ original: '{"node":"wëb-1"', originalEncoding: 'utf8' });
  });

  it('keeps other bytes losslessly as base64', () => {
    const bytes = Uint8Array.from([0xff, 0xfe, 0x00, 0x41]);
    const encoded = encodeOriginal(bytes);
    expect(encoded.originalEncoding).toBe('base64');
    expect([...decodeOriginal(encoded.original, encoded.originalEncoding)]).toEqual([...bytes]);
  });
});
