import type { PairingRules } from '../pairing';
import type { LifecyclePolicy } from './alert-lifecycle';

/** The lifecycle settings every path that changes alerts shares (events, commands, timers). */
export class LifecycleConfig {
  constructor(
    readonly policy: LifecyclePolicy,
    readonly pairing: PairingRules,
  ) {}
}
