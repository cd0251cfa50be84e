#!/usr/bin/env node
// No credential outlives its identity, checked through the official Seam SDK.
//
// On a fresh sandbox workspace (admin API), for each of --identities fresh user identities, each with
// an ACS user on the workspace's credential manager (acs.users.create with user_identity_id, no
// phones), fires --creates acs.credentials.create calls and --deletes userIdentities.delete calls at
// the same moment: every call of the round is built first, then all are sent in the same tick
// (Promise.all), the creates from one SDK client and the deletes from another, so each gets its own
// connections. With --jitter-ms J the deletes of a round are sent a seeded random offset in [-J, J] ms
// from the creates (0, the default: the same moment). The creates alternate between the ways Seam
// names the holder and the access methods: { acs_user_id, card }, { user_identity_id, acs_system_id,
// code }, { user_identity_id, acs_system_id, card }, { acs_user_id, code }, and again.
// --parallel identities storm at once.
//
// Each answer is classified. A create is accepted (2xx), refused (409 user_identity_being_deleted,
// 404 user_identity_not_found), ambiguous (503 service_unavailable: it may have committed) or
// unexpected (anything else). A delete is accepted (2xx), refused (409 user_identity_in_use, or 404
// user_identity_not_found after another delete of the round), ambiguous (503) or unexpected. Per
// identity:
//   both_accepted   a create and a delete both accepted: the violation this looks for
//   both_refused    every create and every delete refused (allowed by the design; reported)
//   delete_won      the identity was deleted, every create refused
//   creates_won     a create accepted, every delete refused
//   ambiguous       neither both accepted nor decided by the answers: one of them was a 503 (what is
//                   left tells what happened)
// Right after each round has answered, with no wait and no retry, and again once every round has,
// what is left is read: userIdentities.get tells whether the identity is gone (404
// user_identity_not_found); for every deleted identity acs.credentials.list({user_identity_id}) and
// acs.credentials.list({acs_user_id}) of its ACS user must be empty (a losing create's credential is
// withdrawn before it answers); for every remaining identity both lists must hold every accepted
// create, and nothing more than the accepted and the ambiguous ones. A read answered 503 is counted
// and leaves the identity to the other reading.
//
// It ends with one line, `[storm] {...}` (JSON: the answers, per identity and per kind; `at_once` and
// `final` what the two readings found), after up to 40 lines `[storm:violation] ...`, and exits 1 on
// a violation (both accepted, a credential left for a deleted identity, an accepted credential
// missing, an unexpected answer, an identity neither reading could read) or on more 503s (answers and
// reads) than --max-503 (default: none allowed); 2 when it could not run.
//
//   node consistency/storm.js [--endpoint URL] [--api-key KEY] [--admin-token TOKEN]
//        [--identities N (150)] [--creates N (3)] [--deletes N (1)] [--parallel N (4)] [--jitter-ms N (0)]
//        [--seed N (20261206)] [--max-503 N (0)] [--summary-file FILE]
// LOCKSTEP_ENDPOINT, LOCKSTEP_API_KEY and LOCKSTEP_ADMIN_TOKEN may be given in the environment instead
// (as for the SDK suite, lib/env.js).
import { writeFileSync } from 'node:fs'
import { performance } from 'node:perf_hooks'
import { setTimeout as sleep } from 'node:timers/promises'
import { parseArgs } from 'node:util'

const USAGE = `usage: node consistency/storm.js [--endpoint URL] [--api-key KEY] [--admin-token TOKEN]
  [--identities N (150)] [--creates N (3)] [--deletes N (1)] [--parallel N (4)] [--jitter-ms N (0)]
  [--seed N (20261206)] [--max-503 N (0)] [--summary-file FILE]`

function parseOptions() {
  let parsed
  try {
    parsed = parseArgs({
      options: {
        endpoint: { type: 'string' },
        'api-key': { type: 'string' },
        'admin-token': { type: 'string' },
        identities: { type: 'string' },
        creates: { type: 'string' },
        deletes: { type: 'string' },
        parallel: { type: 'string' },
        'jitter-ms': { type: 'string' },
        seed: { type: 'string' },
        'max-503': { type: 'string' },
        'summary-file': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }).values
  } catch (error) {
    console.error(`${error.message}\n${USAGE}`)
    process.exit(2)
  }
  if (parsed.help) {
    console.log(USAGE)
    process.exit(0)
  }
  const integer = (name, value, fallback, min) => {
    if (value == null || value === '') return fallback
    const number = Number(value)
    if (!Number.isInteger(number) || number < min) {
      console.error(`--${name} must be an integer >= ${min}, not ${value}\n${USAGE}`)
      process.exit(2)
    }
    return number
  }
  const env = process.env
  const options = {
    endpoint: parsed.endpoint ?? env.LOCKSTEP_ENDPOINT,
    apiKey: parsed['api-key'] ?? env.LOCKSTEP_API_KEY,
    adminToken: parsed['admin-token'] ?? env.LOCKSTEP_ADMIN_TOKEN ?? 'lockstep-local-admin-token',
    identities: integer('identities', parsed.identities, 150, 1),
    creates: integer('creates', parsed.creates, 3, 1),
    deletes: integer('deletes', parsed.deletes, 1, 1),
    parallel: integer('parallel', parsed.parallel, 4, 1),
    jitterMs: integer('jitter-ms', parsed['jitter-ms'], 0, 0),
    seed: integer('seed', parsed.seed, 20261206, 0),
    max503: integer('max-503', parsed['max-503'], 0, 0),
    summaryFile: parsed['summary-file'],
  }
  if (!options.endpoint || !options.apiKey) {
    console.error(`The base URL and an API key are needed: --endpoint and --api-key, or LOCKSTEP_ENDPOINT and LOCKSTEP_API_KEY\n${USAGE}`)
    process.exit(2)
  }
  return options
}

const options = parseOptions()
// lib/env.js reads the platform's address and keys from the environment when it is imported.
process.env.LOCKSTEP_ENDPOINT = options.endpoint
process.env.LOCKSTEP_API_KEY = options.apiKey
process.env.LOCKSTEP_ADMIN_TOKEN = options.adminToken

const { SeamHttp, SeamHttpApiError } = await import('@seamapi/http')
const { endpoint } = await import('../lib/env.js')
const { createAcsSandbox } = await import('../lib/acs.js')

/** The SDK, without its retries: a 5xx must be seen, and a retried delete or create would blur the race. */
function sdk(apiKey) {
  return new SeamHttp({ apiKey, endpoint, axiosRetryOptions: { retries: 0 } })
}

function mulberry32(seed) {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

function describe(error) {
  if (error instanceof SeamHttpApiError) {
    return `${error.statusCode} ${error.code}: ${error.message}${error.requestId ? ` (request ${error.requestId})` : ''}`
  }
  const status = error?.response?.status ?? error?.cause?.response?.status
  return `${error?.constructor?.name ?? 'Error'}${status ? ` (HTTP ${status})` : ''}: ${error?.message ?? error}`
}

const CREATE_REFUSALS = new Set(['409 user_identity_being_deleted', '404 user_identity_not_found'])
const DELETE_REFUSALS = new Set(['409 user_identity_in_use', '404 user_identity_not_found'])

/** { outcome: accepted | refused | ambiguous | unexpected, answer: '200' | '<status> <code>' | description, value } */
async function attempt(call, refusals) {
  try {
    const value = await call()
    return { outcome: 'accepted', answer: '200', value }
  } catch (error) {
    if (error instanceof SeamHttpApiError) {
      const answer = `${error.statusCode} ${error.code}`
      if (refusals.has(answer)) return { outcome: 'refused', answer }
      if (error.statusCode === 503) return { outcome: 'ambiguous', answer, detail: describe(error) }
      return { outcome: 'unexpected', answer, detail: describe(error) }
    }
    return { outcome: 'unexpected', answer: error?.constructor?.name ?? 'Error', detail: describe(error) }
  }
}

function createParams(index, identity, acsSystemId) {
  const card = index % 2 === 0
  const byAcsUser = index % 4 < 2 ? index % 2 === 0 : index % 2 === 1
  const holder = byAcsUser ? { acs_user_id: identity.acsUserId } : { user_identity_id: identity.id, acs_system_id: acsSystemId }
  return { ...holder, access_method: card ? 'card' : 'code' }
}

/** Runs `task` on every item, at most `parallel` at once. */
async function eachLimited(items, parallel, task) {
  let next = 0
  await Promise.all(Array.from({ length: Math.min(parallel, items.length) }, async () => {
    while (next < items.length) {
      const item = items[next++]
      await task(item)
    }
  }))
}

function emptyView() {
  return { deleted: 0, remaining: 0, credentials_of_deleted_identities: 0, credentials_of_remaining_identities: 0, reads_503: 0 }
}

/**
 * Reads what is left of `identity` after its round (userIdentities.get, then acs.credentials.list by
 * user_identity_id and by acs_user_id), counts it in `view` and reports what breaks the rules. A read
 * answered 503 leaves the identity unread in this view (counted); any other failure is a violation.
 */
async function judge(identity, view, when, reader, violation) {
  const createsAccepted = identity.creates.filter((r) => r.outcome === 'accepted')
  const deletesAccepted = identity.deletes.filter((r) => r.outcome === 'accepted')
  identity.verified ??= 0
  try {
    let deleted
    try {
      await reader.userIdentities.get({ user_identity_id: identity.id })
      deleted = false
    } catch (error) {
      if (!(error instanceof SeamHttpApiError) || error.statusCode !== 404 || error.code !== 'user_identity_not_found') throw error
      deleted = true
    }
    const byIdentity = (await reader.acs.credentials.list({ user_identity_id: identity.id })).map((c) => c.acs_credential_id)
    const byAcsUser = (await reader.acs.credentials.list({ acs_user_id: identity.acsUserId })).map((c) => c.acs_credential_id)
    identity.verified++
    if (deletesAccepted.length > 0 && !deleted) violation(identity, `${when}: the deletion was accepted, yet userIdentities.get finds the identity`)
    if (deletesAccepted.length === 0 && deleted && !identity.deletes.some((r) => r.outcome === 'ambiguous')) {
      violation(identity, `${when}: every deletion was refused, yet userIdentities.get answers user_identity_not_found`)
    }
    if (deleted) {
      view.deleted++
      view.credentials_of_deleted_identities += new Set([...byIdentity, ...byAcsUser]).size
      if (byIdentity.length > 0) violation(identity, `${when}: deleted, yet acs.credentials.list({user_identity_id}) shows ${byIdentity.join(', ')}`)
      if (byAcsUser.length > 0) violation(identity, `${when}: deleted, yet acs.credentials.list({acs_user_id}) shows ${byAcsUser.join(', ')}`)
    } else {
      view.remaining++
      view.credentials_of_remaining_identities += byIdentity.length
      const accepted = createsAccepted.map((r) => r.value.acs_credential_id)
      const ambiguousCreates = identity.creates.filter((r) => r.outcome === 'ambiguous').length
      for (const [filter, listed] of [['user_identity_id', byIdentity], ['acs_user_id', byAcsUser]]) {
        const missing = accepted.filter((id) => !listed.includes(id))
        if (missing.length > 0) violation(identity, `${when}: acs.credentials.list({${filter}}) misses accepted credentials ${missing.join(', ')}`)
        const extra = listed.filter((id) => !accepted.includes(id))
        if (extra.length > ambiguousCreates) {
          violation(identity, `${when}: acs.credentials.list({${filter}}) shows ${extra.join(', ')}, which no accepted create answered`
            + ` (${ambiguousCreates} create(s) answered 503)`)
        }
      }
    }
  } catch (error) {
    if (error instanceof SeamHttpApiError && error.statusCode === 503) {
      view.reads_503++
    } else {
      violation(identity, `${when}: reading what is left failed: ${describe(error)}`)
    }
  }
}

async function main() {
  const started = performance.now()
  const random = mulberry32(options.seed)
  const sandbox = await createAcsSandbox()
  const acsSystemId = sandbox.acsSystem.acs_system_id
  const creator = sdk(sandbox.apiKey)
  const deleter = sdk(sandbox.apiKey)
  const reader = sdk(sandbox.apiKey)
  console.log(`[storm] ${endpoint}: workspace ${sandbox.workspace.workspace_id}, ACS system ${acsSystemId};`
    + ` ${options.identities} identities, ${options.creates} creates and ${options.deletes} delete(s) each at once,`
    + ` ${options.parallel} identities at a time, jitter ${options.jitterMs} ms, seed ${options.seed}`)

  // Set-up: the identities and their ACS users (read your writes: the ACS user's create needs no wait).
  const identities = []
  const setupFailures = []
  await eachLimited(Array.from({ length: options.identities }, (_, i) => i), options.parallel, async (i) => {
    try {
      const created = await reader.userIdentities.create({ full_name: `Storm ${i} ${sandbox.workspace.workspace_id.slice(0, 8)}` })
      const user = await reader.acs.users.create({
        acs_system_id: acsSystemId, user_identity_id: created.user_identity_id, full_name: created.full_name,
      })
      if (user.user_identity_id !== created.user_identity_id) {
        throw new Error(`acs.users.create answered user_identity_id ${user.user_identity_id}, not ${created.user_identity_id}`)
      }
      identities.push({ index: i, id: created.user_identity_id, acsUserId: user.acs_user_id })
    } catch (error) {
      setupFailures.push(`identity ${i}: ${describe(error)}`)
    }
  })
  identities.sort((a, b) => a.index - b.index)
  const setupMs = Math.round(performance.now() - started)
  if (setupFailures.length > 0) {
    throw new Error(`set-up failed for ${setupFailures.length} identities: ${setupFailures.slice(0, 5).join('; ')}`)
  }
  console.log(`[storm] set-up: ${identities.length} identities with an ACS user each in ${setupMs} ms`)

  // The storm. Each identity's round is followed at once (no wait, no retry) by the reads of what is
  // left; once every round has answered, they are read again.
  const violations = []
  const violation = (identity, what) => violations.push(`identity ${identity.id} (ACS user ${identity.acsUserId}): ${what}`)
  const views = { at_once: emptyView(), end: emptyView() }
  const offsets = new Map(identities.map((identity) => [identity.id,
    options.jitterMs === 0 ? 0 : Math.round((random() * 2 - 1) * options.jitterMs)]))
  const stormStarted = performance.now()
  await eachLimited(identities, options.parallel, async (identity) => {
    const offset = offsets.get(identity.id)
    const creates = Array.from({ length: options.creates }, (_, c) => createParams(c, identity, acsSystemId))
    const later = async (ms, call) => {
      if (ms > 0) await sleep(ms)
      return call()
    }
    const roundStarted = performance.now()
    const results = await Promise.all([
      ...creates.map((params) => later(Math.max(0, -offset),
        () => attempt(() => creator.acs.credentials.create(params), CREATE_REFUSALS))),
      ...Array.from({ length: options.deletes }, () => later(Math.max(0, offset),
        () => attempt(() => deleter.userIdentities.delete({ user_identity_id: identity.id }), DELETE_REFUSALS))),
    ])
    identity.roundMs = performance.now() - roundStarted
    identity.creates = results.slice(0, options.creates).map((result, c) => ({ ...result, params: creates[c] }))
    identity.deletes = results.slice(options.creates)
    await judge(identity, views.at_once, 'at once', reader, violation)
  })
  const stormMs = Math.round(performance.now() - stormStarted)
  await eachLimited(identities, options.parallel, (identity) => judge(identity, views.end, 'at the end', reader, violation))

  // The answers.
  const answers = { create: {}, delete: {} }
  const perIdentity = { both_accepted: 0, both_refused: 0, delete_won: 0, creates_won: 0, ambiguous: 0 }
  const counts = {
    creates_accepted: 0, creates_refused: 0, creates_503: 0, creates_unexpected: 0,
    deletes_accepted: 0, deletes_refused: 0, deletes_503: 0, deletes_unexpected: 0,
  }
  for (const identity of identities) {
    for (const result of identity.creates) {
      answers.create[result.answer] = (answers.create[result.answer] ?? 0) + 1
      counts[`creates_${result.outcome === 'ambiguous' ? '503' : result.outcome}`]++
      if (result.outcome === 'unexpected') violation(identity, `acs.credentials.create(${JSON.stringify(result.params)}) answered ${result.detail}`)
    }
    for (const result of identity.deletes) {
      answers.delete[result.answer] = (answers.delete[result.answer] ?? 0) + 1
      counts[`deletes_${result.outcome === 'ambiguous' ? '503' : result.outcome}`]++
      if (result.outcome === 'unexpected') violation(identity, `userIdentities.delete answered ${result.detail}`)
    }
    const createsAccepted = identity.creates.filter((r) => r.outcome === 'accepted')
    const deletesAccepted = identity.deletes.filter((r) => r.outcome === 'accepted')
    if (createsAccepted.length > 0 && deletesAccepted.length > 0) {
      perIdentity.both_accepted++
      violation(identity, `both accepted: ${createsAccepted.length} create(s) (${createsAccepted.map((r) => r.value.acs_credential_id).join(', ')})`
        + ' and the deletion')
    } else if ([...identity.creates, ...identity.deletes].some((r) => r.outcome === 'ambiguous')) {
      perIdentity.ambiguous++
    } else if (createsAccepted.length > 0) {
      perIdentity.creates_won++
    } else if (deletesAccepted.length > 0) {
      perIdentity.delete_won++
    } else {
      perIdentity.both_refused++
    }
  }
  for (const identity of identities) {
    if (identity.verified === 0) violation(identity, 'what is left could not be read (503s), neither at once nor at the end')
  }

  const total503 = counts.creates_503 + counts.deletes_503 + views.at_once.reads_503 + views.end.reads_503
  const roundMs = identities.map((i) => i.roundMs).sort((a, b) => a - b)
  const failed = violations.length > 0 || total503 > options.max503
  for (const line of violations.slice(0, 40)) console.log(`[storm:violation] ${line}`)
  const summary = {
    result: failed ? 'fail' : 'pass',
    identities: identities.length,
    creates_per_identity: options.creates,
    deletes_per_identity: options.deletes,
    parallel: options.parallel,
    jitter_ms: options.jitterMs,
    seed: options.seed,
    setup_ms: setupMs,
    storm_ms: stormMs,
    round_ms: { median: Math.round(roundMs[Math.floor(roundMs.length / 2)]), max: Math.round(roundMs[roundMs.length - 1]) },
    per_identity: perIdentity,
    ...counts,
    status_503: total503,
    max_503: options.max503,
    answers,
    at_once: views.at_once,
    final: views.end,
    violations: violations.length,
  }
  console.log(`[storm] ${JSON.stringify(summary)}`)
  if (options.summaryFile) writeFileSync(options.summaryFile, `${JSON.stringify(summary)}\n`)
  process.exitCode = failed ? 1 : 0
}

main().catch((error) => {
  console.error(`[storm] could not run: ${error?.stack ?? error}`)
  process.exit(2)
})
