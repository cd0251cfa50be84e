// Watching several views of one asynchronous effect at once (in Seam too, children issued on the
// phones, the revocation of a lost phone's keys and programming on the ACS take a moment), timing
// each, and reading what the sandbox ACS holds. What a call wrote itself is never watched: it shows
// at once, on every view.
import assert from 'node:assert/strict'
import { performance } from 'node:perf_hooks'

import { ASYNC_EFFECT_BOUND_MS } from './acs.js'
import { admin, sleep } from './env.js'

/**
 * Every credential the sandbox ACS system `acsSystemId` of workspace `workspaceId` was asked to
 * program (device-gateway's admin API): [{ acs_credential_id, device_id, is_held, times_programmed,
 * times_removed, ... }].
 */
export async function sandboxAcsCredentials(workspaceId, acsSystemId) {
  const { sandbox_acs_credentials: held } = await admin('/admin/sandbox/list_acs_credentials', {
    workspace_id: workspaceId, acs_system_id: acsSystemId,
  })
  assert.ok(Array.isArray(held), 'sandbox_acs_credentials is an array')
  return held
}

/**
 * Polls every view at once, each on its own, until each one's `done(value)` holds, measuring from
 * `since` (a performance.now() reading, by default now). `views` maps a name to { probe, done }.
 * Returns { name: { elapsedMs, lastMissMs, value, polls } }: the change became visible on that view
 * after `lastMissMs` (when the last poll that did not see it was sent; null if the first poll saw
 * it) and by `elapsedMs` (when the first poll that saw it was answered). Fails naming each view that
 * did not get there within `timeoutMs`, with the last value it saw.
 */
export async function watchViews(views, { since = performance.now(), timeoutMs = ASYNC_EFFECT_BOUND_MS, intervalMs = 20 } = {}) {
  const deadline = since + timeoutMs
  const entries = await Promise.all(Object.entries(views).map(async ([name, { probe, done }]) => {
    let last
    let polls = 0
    let lastMissMs = null
    while (true) {
      polls++
      const sent = performance.now()
      try {
        last = { value: await probe() }
      } catch (error) {
        last = { error }
      }
      const now = performance.now()
      if (last.error === undefined && done(last.value)) {
        return [name, { elapsedMs: Math.round(now - since), lastMissMs, value: last.value, polls }]
      }
      lastMissMs = Math.round(sent - since)
      if (now >= deadline) {
        return [name, { failed: true, last, polls }]
      }
      await sleep(intervalMs)
    }
  }))
  const failed = entries.filter(([, result]) => result.failed)
  if (failed.length > 0) {
    assert.fail(`not reached within ${timeoutMs} ms:\n` + failed.map(([name, { last }]) =>
      `  ${name}: last saw ${last.error ? `${last.error.constructor?.name}: ${last.error.message}` : JSON.stringify(last.value)}`)
      .join('\n'))
  }
  return Object.fromEntries(entries)
}

/**
 * Prints how long each view took (watchViews' results): "by" is when the first poll that saw the
 * change was answered, "after" when the last poll that did not see it was sent (none: the first
 * poll saw it).
 */
export function printTimings(title, timings) {
  const width = Math.max(...Object.keys(timings).map((name) => name.length))
  console.log(`${title}:`)
  for (const [name, { elapsedMs, lastMissMs, polls }] of Object.entries(timings)) {
    const after = lastMissMs == null ? 'first poll' : `after ${lastMissMs} ms`
    console.log(`  ${name.padEnd(width)}  by ${String(elapsedMs).padStart(5)} ms  (${after}${polls != null ? `, ${polls} poll${polls === 1 ? '' : 's'}` : ''})`)
  }
}
