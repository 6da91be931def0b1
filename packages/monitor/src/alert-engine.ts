import type { Thresholds } from './alert-rules'
import type { ActiveAlert, AlertEmitter, AlertEvent, AlertRuleName, AlertSeverity } from './events'
import { alertChannel } from './events'

type Level = AlertSeverity | 'ok'

const RANK: Record<Level, number> = { ok: 0, warning: 1, critical: 2 }

interface RuleState {
  rule: AlertRuleName
  target: string
  level: Level
  since: number
  value: number | undefined
  pending: Level | undefined
  streak: number
  threshold: number
}

/**
 * Turns observations into alert levels with hysteresis: a level changes only after
 * `consecutive` observations in a row ask for the same new level, and a level is only left
 * once the value is back past its threshold by `clearMargin` (a fraction of the threshold).
 * A missing value (not enough data) asks for `ok`.
 */
export class AlertEngine {
  private readonly states = new Map<string, RuleState>()

  constructor(
    private readonly emitter: AlertEmitter,
    private readonly consecutive: number,
    private readonly clearMargin: number,
  ) {}

  /**
   * Feeds one evaluation of one rule on one target. `below` is for rules that fire when the
   * value falls under the thresholds (cache hit ratio).
   */
  observe(
    rule: AlertRuleName,
    target: string,
    value: number | undefined,
    thresholds: Thresholds,
    below: boolean,
    now: number,
  ): void {
    const key = `${rule}\u0000${target}`
    let state = this.states.get(key)
    if (state === undefined) {
      if (value === undefined) return
      state = {
        rule,
        target,
        level: 'ok',
        since: now,
        value,
        pending: undefined,
        streak: 0,
        threshold: Number.NaN,
      }
      this.states.set(key, state)
    }
    state.value = value
    const breaches = (t: number | undefined): boolean =>
      t !== undefined && value !== undefined && (below ? value < t : value > t)
    let wanted: Level = breaches(thresholds.critical)
      ? 'critical'
      : breaches(thresholds.warning)
        ? 'warning'
        : 'ok'
    if (RANK[wanted] < RANK[state.level] && value !== undefined) {
      const held = thresholds[state.level as AlertSeverity]
      if (held !== undefined) {
        const cleared = below
          ? value >= held * (1 + this.clearMargin)
          : value <= held * (1 - this.clearMargin)
        if (!cleared) wanted = state.level
      }
    }
    if (wanted === state.level) {
      state.pending = undefined
      state.streak = 0
      return
    }
    if (wanted === state.pending) state.streak++
    else {
      state.pending = wanted
      state.streak = 1
    }
    if (state.streak >= this.consecutive) this.transition(state, wanted, thresholds, now)
  }

  private transition(state: RuleState, to: Level, thresholds: Thresholds, now: number): void {
    const previous = state.level
    state.level = to
    state.since = now
    state.pending = undefined
    state.streak = 0
    const severity: AlertSeverity = to === 'ok' ? (previous as AlertSeverity) : to
    const threshold = thresholds[severity] ?? Number.NaN
    state.threshold = threshold
    const shown = state.value === undefined ? 'no data' : String(round(state.value))
    const event: AlertEvent = {
      rule: state.rule,
      target: state.target,
      state: to === 'ok' ? 'resolved' : 'firing',
      severity,
      previous,
      value: state.value,
      threshold,
      at: now,
      message:
        to === 'ok'
          ? `${state.rule} on ${state.target} resolved (${shown})`
          : `${state.rule} on ${state.target} is ${to}: ${shown} vs threshold ${threshold}`,
    }
    if (alertChannel.hasSubscribers) alertChannel.publish(event)
    this.emitter.emitAlert(event)
  }

  /** Alerts firing now. */
  active(): ActiveAlert[] {
    const out: ActiveAlert[] = []
    for (const s of this.states.values()) {
      if (s.level === 'ok') continue
      out.push({
        rule: s.rule,
        target: s.target,
        severity: s.level,
        value: s.value,
        threshold: s.threshold,
        since: s.since,
      })
    }
    return out
  }
}

function round(v: number): number {
  return Math.round(v * 1000) / 1000
}
