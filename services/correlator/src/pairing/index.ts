// What other folders may use of pairing/ (pure: problem/resolution pairs).
export { PairingRules, parsePairingRules } from './pairing-rules';
export type { PairingRule } from './pairing-rules';
