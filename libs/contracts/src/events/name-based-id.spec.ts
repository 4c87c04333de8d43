import { uuidV5 } from './name-based-id';

describe('uuidV5', () => {
  it('matches the RFC 4122 test vector for the DNS namespace', () => {
    const dns = Buffer.from('6ba7b8109dad11d180b400c04fd430c8', 'hex');
    expect(uuidV5('www.example.com', dns)).toBe('2ed6657d-e927-568b-95e1-2665a8aea6a2');
  });
});
