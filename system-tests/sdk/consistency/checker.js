#!/usr/bin/env node
// Read-your-writes across contexts, checked through the official Seam SDK.
//
// Runs randomized write-then-read sequences against a running platform from several concurrent
// clients. Each write (to identity-service, credential-service, phone-service or device-gateway) is
// followed at once, with no wait and no retry, by reads in the OTHER contexts that must reflect it:
// references to what it created resolve, lists and filters include it (or leave it out after a
// delete), and other contexts' views show its fields. The effects that are asynchronous in Seam too
// (a child credential for each phone, the revocation of a lost phone's keys, programming on the ACS)
// are polled within ASYNC_BOUND_MS, and once one endpoint has shown such an effect, every request
// sent afterwards to the other endpoints must show it as well.
//
// Every check is classified:
//   ok            the answer reflects every write that answered before the request was sent
//   stale         a 2xx (or an error that only a stale view explains, e.g. a 409 naming what is gone)
//                 that misses a write or an effect already shown; also an async effect not shown
//                 within its bound
//   spurious_404  a 404 for something that exists
//   status_503    Seam's 503 (allowed, and counted, with --allow-503: a service that cannot catch up)
//   other_error   anything else (a 5xx, a 4xx the model does not explain, no answer)
// It ends with one line, `[consistency] {...}` (JSON: counts in total, per sequence kind and per
// failing check; `unsupported` counts behaviour the platform lacks, not checks), after up to
// --examples lines `[consistency:example] outcome | kind > check | detail`, and exits 1 when any
// check was stale, a spurious 404, an other error, or a 503 without --allow-503; 2 when it could
// not run.
//
// Workspaces (fresh sandbox workspaces, admin API; their set-up is checked too, as kind
// workspace.setup): `own` gives each client its own, `shared` puts every client in one, `mixed`
// (the default) puts the even clients in one and gives each odd client its own. The API key only
// proves the platform answers. The run is reproducible in its choices per client (--seed), not in
// how the clients interleave.
//
//   node consistency/checker.js [--endpoint URL] [--api-key KEY] [--admin-token TOKEN]
//        [--sequences N] [--clients N] [--seed N] [--duration-s N] [--workspaces own|shared|mixed]
//        [--allow-503] [--async-bound-ms N] [--examples N] [--summary-file FILE] [--started-file FILE] [--stop-file FILE]
//        [--verbose]
// Each option may come from the environment instead: LOCKSTEP_ENDPOINT, LOCKSTEP_API_KEY,
// LOCKSTEP_ADMIN_TOKEN (as for the SDK suite, lib/env.js), CONSISTENCY_SEQUENCES,
// CONSISTENCY_CLIENTS, CONSISTENCY_SEED, CONSISTENCY_DURATION_S, CONSISTENCY_WORKSPACES,
// CONSISTENCY_ALLOW_503=1, CONSISTENCY_ASYNC_BOUND_MS, CONSISTENCY_EXAMPLES, CONSISTENCY_SUMMARY_FILE,
// CONSISTENCY_STARTED_FILE, CONSISTENCY_STOP_FILE, CONSISTENCY_VERBOSE=1. --summary-file also writes
// the summary's JSON to FILE. For a caller that injects faults while the sequences run (the
// workspaces' set-up expects a healthy platform): --started-file FILE is written once the set-up is
// done and the sequences begin; with --stop-file FILE no sequence starts once FILE exists (those
// running finish; the summary says "stopped": true), so the caller decides when the run ends.
import { existsSync, writeFileSync } from 'node:fs'
import { performance } from 'node:perf_hooks'
import { setTimeout as sleep } from 'node:timers/promises'
import { parseArgs } from 'node:util'

const USAGE = `usage: node consistency/checker.js [--endpoint URL] [--api-key KEY] [--admin-token TOKEN]
  [--sequences N (2000)] [--clients N (8)] [--seed N (20261204)] [--duration-s N (600)]
  [--workspaces own|shared|mixed (mixed)] [--allow-503] [--async-bound-ms N (2000)] [--examples N (40)]
  [--summary-file FILE] [--started-file FILE] [--stop-file FILE] [--verbose]`

function parseOptions() {
  let parsed
  try {
    parsed = parseArgs({
      options: {
        endpoint: { type: 'string' },
        'api-key': { type: 'string' },
        'admin-token': { type: 'string' },
        sequences: { type: 'string' },
        clients: { type: 'string' },
        seed: { type: 'string' },
        'duration-s': { type: 'string' },
        workspaces: { type: 'string' },
        'allow-503': { type: 'boolean' },
        'async-bound-ms': { type: 'string' },
        examples: { type: 'string' },
        'summary-file': { type: 'string' },
        'started-file': { type: 'string' },
        'stop-file': { type: 'string' },
        verbose: { type: 'boolean' },
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
  const env = process.env
  const flag = (value) => value === '1' || value === 'true'
  const integer = (name, value, fallback, min) => {
    if (value == null || value === '') return fallback
    const number = Number(value)
    if (!Number.isInteger(number) || number < min) {
      console.error(`--${name} must be an integer >= ${min}, not ${value}\n${USAGE}`)
      process.exit(2)
    }
    return number
  }
  const options = {
    endpoint: parsed.endpoint ?? env.LOCKSTEP_ENDPOINT,
    apiKey: parsed['api-key'] ?? env.LOCKSTEP_API_KEY,
    adminToken: parsed['admin-token'] ?? env.LOCKSTEP_ADMIN_TOKEN ?? 'lockstep-local-admin-token',
    sequences: integer('sequences', parsed.sequences ?? env.CONSISTENCY_SEQUENCES, 2_000, 1),
    clients: integer('clients', parsed.clients ?? env.CONSISTENCY_CLIENTS, 8, 1),
    seed: integer('seed', parsed.seed ?? env.CONSISTENCY_SEED, 20261204, 0),
    durationS: integer('duration-s', parsed['duration-s'] ?? env.CONSISTENCY_DURATION_S, 600, 1),
    workspaces: parsed.workspaces ?? env.CONSISTENCY_WORKSPACES ?? 'mixed',
    allow503: parsed['allow-503'] ?? flag(env.CONSISTENCY_ALLOW_503),
    asyncBoundMs: integer('async-bound-ms', parsed['async-bound-ms'] ?? env.CONSISTENCY_ASYNC_BOUND_MS, 2_000, 1),
    examples: integer('examples', parsed.examples ?? env.CONSISTENCY_EXAMPLES, 40, 0),
    summaryFile: parsed['summary-file'] ?? env.CONSISTENCY_SUMMARY_FILE,
    startedFile: parsed['started-file'] ?? env.CONSISTENCY_STARTED_FILE,
    stopFile: parsed['stop-file'] ?? env.CONSISTENCY_STOP_FILE,
    verbose: parsed.verbose ?? flag(env.CONSISTENCY_VERBOSE),
  }
  if (!options.endpoint || !options.apiKey) {
    console.error(`The base URL and an API key are needed: --endpoint and --api-key, or LOCKSTEP_ENDPOINT and LOCKSTEP_API_KEY\n${USAGE}`)
    process.exit(2)
  }
  if (!['own', 'shared', 'mixed'].includes(options.workspaces)) {
    console.error(`--workspaces is own, shared or mixed, not ${options.workspaces}\n${USAGE}`)
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
const { admin, awaitAccepted, createWorkspace, endpoint, randomUUID } = await import('../lib/env.js')
const { sandboxAcsCredentials } = await import('../lib/views.js')

/**
 * How long an effect that is asynchronous in Seam may take to show: a child credential on each
 * phone, the revocation of a lost phone's keys, programming or removal on the ACS.
 */
const ASYNC_BOUND_MS = options.asyncBoundMs
/** Between two rounds of polls of an asynchronous effect (never between a write and its reads). */
const POLL_INTERVAL_MS = 10
const OUTCOMES = ['ok', 'stale', 'spurious_404', 'status_503', 'other_error']
/** Live user identities per client; past it, deletes are favoured. */
const MAX_IDENTITIES = 12
const MAX_PHONES_PER_IDENTITY = 3
const MAX_CREDENTIALS_PER_ACS_USER = 4

/** The SDK, without its retries: a 5xx or a dropped connection must be seen, not retried away. */
function sdk(apiKey) {
  return new SeamHttp({ apiKey, endpoint, axiosRetryOptions: { retries: 0 } })
}

// --- randomness ------------------------------------------------------------------------------

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

class Random {
  constructor(seed) {
    this.next = mulberry32(seed)
  }

  chance(p) {
    return this.next() < p
  }

  int(n) {
    return Math.floor(this.next() * n)
  }

  pick(items) {
    const list = [...items]
    return list.length === 0 ? undefined : list[this.int(list.length)]
  }

  weighted(entries) {
    const total = entries.reduce((sum, [, weight]) => sum + weight, 0)
    let r = this.next() * total
    for (const [value, weight] of entries) {
      r -= weight
      if (r < 0) return value
    }
    return entries[entries.length - 1][0]
  }
}

// --- outcomes ----------------------------------------------------------------------------------

class Stats {
  constructor() {
    this.byKind = {}
    this.byCheck = {}
    this.totals = Object.fromEntries(OUTCOMES.map((o) => [o, 0]))
    this.examples = []
    this.exampleKeys = new Map()
    this.unsupported = {}
    this.tainted = 0
    this.shownAfter = {}
    this.startedAt = performance.now()
  }

  /** How long an asynchronous effect took to show completely on one view, and when in the run. */
  shown(kind, check, ms) {
    const atMs = performance.now() - this.startedAt
    const name = `${kind} > ${check}`
    this.shownAfter[name] ??= { all: [], firstMinuteMaxMs: 0 }
    this.shownAfter[name].all.push(ms)
    if (atMs < 60_000) this.shownAfter[name].firstMinuteMaxMs = Math.max(this.shownAfter[name].firstMinuteMaxMs, ms)
  }

  asyncLatencies() {
    const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]
    return Object.fromEntries(Object.entries(this.shownAfter).map(([name, { all, firstMinuteMaxMs }]) => {
      const sorted = [...all].sort((a, b) => a - b)
      return [name, { n: sorted.length, p50_ms: Math.round(percentile(sorted, 0.5)), p99_ms: Math.round(percentile(sorted, 0.99)),
        max_ms: Math.round(sorted[sorted.length - 1]), first_minute_max_ms: Math.round(firstMinuteMaxMs) }]
    }))
  }

  kind(kind) {
    this.byKind[kind] ??= { sequences: 0, ...Object.fromEntries(OUTCOMES.map((o) => [o, 0])) }
    return this.byKind[kind]
  }

  record(kind, check, outcome, detail) {
    this.kind(kind)[outcome]++
    this.totals[outcome]++
    const name = `${kind} > ${check}`
    this.byCheck[name] ??= Object.fromEntries(OUTCOMES.map((o) => [o, 0]))
    this.byCheck[name][outcome]++
    if (outcome !== 'ok') {
      const key = `${name}|${outcome}`
      const seen = this.exampleKeys.get(key) ?? 0
      if (seen < 2 && this.examples.length < options.examples) {
        this.examples.push({ kind, check, outcome, detail })
      }
      this.exampleKeys.set(key, seen + 1)
      if (options.verbose) console.log(`[consistency:${outcome}] ${name}: ${detail}`)
    }
  }

  note(what) {
    this.unsupported[what] = (this.unsupported[what] ?? 0) + 1
  }
}

/** A check's answer that does not reflect what it must: thrown by the checks, recorded as stale. */
class Stale extends Error {}
/** Ends a sequence whose write failed (the failure is already recorded). */
class Abort extends Error {}

function describe(error) {
  if (error instanceof SeamHttpApiError) {
    return `${error.statusCode} ${error.code}: ${error.message}${error.requestId ? ` (request ${error.requestId})` : ''}`
  }
  const status = error?.response?.status ?? error?.cause?.response?.status
  return `${error?.constructor?.name ?? 'Error'}${status ? ` (HTTP ${status})` : ''}: ${error?.message ?? error}`
}

function classify(error, staleCodes = []) {
  if (error instanceof Stale) return 'stale'
  if (error instanceof SeamHttpApiError) {
    if (error.statusCode === 503) return 'status_503'
    if (staleCodes.includes(error.code)) return 'stale'
    if (error.statusCode === 404) return 'spurious_404'
  }
  // lib/env.js's admin() (what the sandbox ACS holds) asserts a 200: its Seam 503 is a 503 too.
  if (/ answered 503: .*"service_unavailable"/s.test(error?.message ?? '')) return 'status_503'
  return 'other_error'
}

const short = (value) => {
  const text = JSON.stringify(value)
  return text === undefined ? 'undefined' : text.length > 300 ? `${text.slice(0, 300)}...` : text
}

/** Fails the check as stale unless `condition` holds. */
function expect(condition, what) {
  if (!condition) throw new Stale(what)
}

/**
 * Calls `call`, which must be refused with a 404 `code`: true if so; a 2xx is stale (the call does
 * not see the delete); other errors are thrown.
 */
async function expectNotFound(call, code) {
  let value
  try {
    value = await call()
  } catch (error) {
    if (error instanceof SeamHttpApiError && error.statusCode === 404 && error.code === code) return true
    throw error
  }
  throw new Stale(`expected 404 ${code}, answered 2xx: ${short(value)}`)
}

// --- one sequence ------------------------------------------------------------------------------

class Sequence {
  constructor(client, kind) {
    this.client = client
    this.kind = kind
    this.stats = client.stats
    this.involved = new Set() // identity ids to set aside if a write fails
    this.stopped = false
  }

  record(check, outcome, detail) {
    this.stats.record(this.kind, check, outcome, detail)
  }

  /** A write: recorded as a check (references must resolve); a failure ends the sequence. */
  async write(check, call, { staleCodes = [], explain } = {}) {
    try {
      const value = await call()
      this.record(check, 'ok')
      return value
    } catch (error) {
      this.record(check, classify(error, staleCodes), `${describe(error)}${explain ? `; ${explain(error)}` : ''}`)
      throw new Abort(check)
    }
  }

  /**
   * What the sequence needs to know, not a check of its own (what the sandbox ACS holds before a
   * write): recorded only when it fails, as its outcome (a 503 while a replica is down is one), and
   * a failure ends the sequence.
   */
  async lookup(check, call) {
    try {
      return await call()
    } catch (error) {
      this.record(check, classify(error), describe(error))
      throw new Abort(check)
    }
  }

  /** A read that must reflect the writes before it: `body` throws Stale, or an SDK error, if not. */
  async read(check, body) {
    try {
      await body()
      this.record(check, 'ok')
      return true
    } catch (error) {
      this.record(check, classify(error), error instanceof Stale ? error.message : describe(error))
      return false
    }
  }

  /**
   * Reads after a write: those in another context than the writer's (`cross`) first, in random
   * order, so each is sometimes the very first request after the write; then the writer's own. An
   * item is { name, body } (a read, see `read`) or { run } (records itself). Ends the sequence when
   * an item found the model wrong (`stopped`).
   */
  async reads(items) {
    const cross = items.filter((item) => item.cross)
    const own = items.filter((item) => !item.cross)
    for (let i = cross.length - 1; i > 0; i--) {
      const j = this.client.random.int(i + 1)
      ;[cross[i], cross[j]] = [cross[j], cross[i]]
    }
    for (const item of [...cross, ...own]) {
      if (item.run) await item.run()
      else await this.read(item.name, item.body)
      if (this.stopped) throw new Abort('stopped')
    }
  }

  /**
   * An effect that is asynchronous in Seam, watched on several views at once (polled in turn, so
   * each request starts after the previous answer). Each view's probe returns the set of elements
   * on which it shows the effect; `complete(set)` says when it shows all of it. An `obliged` view
   * must show every element any earlier answer showed (only the sandbox ACS, downstream of the
   * others, is not); a view with `source: false` shows something that holds for another reason
   * (phones.list by credential is empty once the phone is deactivated) and obliges no other. Each view is recorded once: ok, stale (it missed an element already shown, or
   * did not complete within the bound), or its error. Returns the elements shown (and by which view
   * first), whether every view completed in time, and each view's last set.
   */
  async effect(name, views, { since = performance.now(), boundMs = ASYNC_BOUND_MS } = {}) {
    const deadline = since + boundMs
    let complete = true
    const shown = new Map()
    const states = views.map((view) => ({ view, done: false, failed: false, last: new Set() }))
    while (true) {
      const pending = states.filter((state) => !state.done)
      if (pending.length === 0) break
      for (const state of pending) {
        const { view } = state
        const check = `${name} > ${view.name}`
        let set
        try {
          set = await view.probe()
        } catch (error) {
          state.done = true
          complete = false
          this.record(check, classify(error), describe(error))
          continue
        }
        state.last = set
        if (view.obliged !== false && !state.failed) {
          const missing = [...shown.keys()].filter((element) => !set.has(element))
          if (missing.length > 0) {
            state.failed = true
            if (view.obliged !== false) complete = false
            this.record(check, 'stale', `does not show ${missing.join(', ')}, which ${shown.get(missing[0])} showed before`)
          }
        }
        if (view.source !== false) for (const element of set) if (!shown.has(element)) shown.set(element, view.name)
        if (view.complete(set)) {
          state.done = true
          if (!state.failed) {
            this.record(check, 'ok')
            this.stats.shown(this.kind, check, performance.now() - since)
          }
        }
      }
      if (performance.now() >= deadline) {
        for (const state of states.filter((s) => !s.done)) {
          state.done = true
          complete = false
          if (!state.failed) {
            this.record(`${name} > ${state.view.name}`, 'stale',
              `not shown within ${boundMs} ms (asynchronous bound); last saw ${short([...state.last])}`)
          }
        }
        break
      }
      await sleep(POLL_INTERVAL_MS)
    }
    return { shown, complete, last: new Map(states.map((s) => [s.view.name, s.last])) }
  }
}

// --- the workspaces ----------------------------------------------------------------------------

/** Per-device locks: clients sharing a workspace rename and grant its devices one at a time. */
class Mutex {
  constructor() {
    this.tail = Promise.resolve()
  }

  async run(task) {
    const previous = this.tail
    let release
    this.tail = new Promise((resolve) => { release = resolve })
    await previous
    try {
      return await task()
    } finally {
      release()
    }
  }
}

/**
 * A fresh sandbox workspace (admin API), its key and provisioning checked at once: the new key works
 * on every service, every service knows the ACS system and the devices.
 */
async function createCheckedWorkspace(stats, label) {
  const setup = new Sequence({ stats }, 'workspace.setup')
  const created = await createWorkspace(`consistency ${label} ${randomUUID().slice(0, 8)}`)
  const seam = sdk(created.apiKey)
  const keyProbes = {
    'workspaces.get (identity-service)': () => seam.workspaces.get(),
    'phones.list (phone-service)': () => seam.phones.list(),
    'acs.users.list (credential-service)': () => seam.acs.users.list(),
    'acs.credentials.list (credential-service)': () => seam.acs.credentials.list(),
    'devices.list (device-gateway)': () => seam.devices.list(),
  }
  for (const [name, probe] of Object.entries(keyProbes)) {
    try {
      await probe()
      setup.record(`the new key is accepted by ${name}`, 'ok')
    } catch (error) {
      const outcome = error instanceof SeamHttpApiError && error.statusCode === 401 ? 'stale' : classify(error)
      setup.record(`the new key is accepted by ${name}`, outcome, describe(error))
      // Counted; wait for it so the sequences can run.
      await awaitAccepted(probe, { timeoutMs: 15_000, what: `the new key (${name})` })
    }
  }
  const provisioned = await admin('/admin/sandbox/provision_workspace', { workspace_id: created.workspace.workspace_id })
  const acsSystem = provisioned.acs_systems.find((s) => s.is_credential_manager) ?? provisioned.acs_systems[0]
  const devices = provisioned.devices.filter((d) => d.device_type.endsWith('_lock'))
  await setup.read('devices.list shows the provisioned devices', async () => {
    const listed = new Set((await seam.devices.list()).map((d) => d.device_id))
    expect(provisioned.devices.every((d) => listed.has(d.device_id)), `devices.list misses some of ${short(provisioned.devices.map((d) => d.device_id))}`)
  })
  await setup.read('acs.systems.get finds the provisioned ACS system', async () => {
    await seam.acs.systems.get({ acs_system_id: acsSystem.acs_system_id })
  })
  // credential-service knows the new ACS system at once.
  await setup.read('acs.users.create on the provisioned ACS system', async () => {
    const user = await seam.acs.users.create({ acs_system_id: acsSystem.acs_system_id, full_name: `Setup ${label}` })
    await seam.acs.users.delete({ acs_user_id: user.acs_user_id })
  })
  // identity-service knows the new ACS system and the devices at once.
  let identity = null
  await setup.read('userIdentities.create({acs_system_ids}) with the provisioned ACS system', async () => {
    identity = await seam.userIdentities.create({ full_name: `Setup ${label}`, acs_system_ids: [acsSystem.acs_system_id] })
  })
  identity ??= await seam.userIdentities.create({ full_name: `Setup ${label}` })
  for (const device of devices) {
    await setup.read('userIdentities.grantAccessToDevice of a provisioned device', async () => {
      await seam.userIdentities.grantAccessToDevice({ user_identity_id: identity.user_identity_id, device_id: device.device_id })
    })
  }
  // Whatever was not known yet: wait for it (counted above) so that the sequences test what they mean to.
  const started = Date.now()
  while (Date.now() - started < 15_000) {
    try {
      const user = await seam.acs.users.create({ acs_system_id: acsSystem.acs_system_id, full_name: `Setup ${label}` })
      await seam.acs.users.delete({ acs_user_id: user.acs_user_id })
      for (const device of devices) {
        await seam.userIdentities.grantAccessToDevice({ user_identity_id: identity.user_identity_id, device_id: device.device_id })
      }
      break
    } catch {
      await sleep(100)
    }
  }
  await seam.userIdentities.delete({ user_identity_id: identity.user_identity_id }).catch(() => {})
  return {
    label,
    workspaceId: created.workspace.workspace_id,
    apiKey: created.apiKey,
    acsSystem,
    devices: new Map(devices.map((d) => [d.device_id, { deviceId: d.device_id, name: d.display_name, mutex: new Mutex() }])),
  }
}

// --- a client ------------------------------------------------------------------------------------

const KINDS = [
  'identity.create', 'identity.create_with_acs_system', 'identity.update', 'identity.delete',
  'acs_user.create_linked', 'acs_user.create_then_link', 'acs_user.delete', 'acs_user.suspend',
  'link.add', 'link.remove',
  'credential.create', 'credential.create_multi_phone', 'credential.create_by_identity', 'credential.delete',
  'phone.create', 'phone.deactivate',
  'device.rename', 'grant.add', 'grant.revoke',
]

class Client {
  constructor(index, workspace, stats) {
    this.index = index
    this.ws = workspace
    this.stats = stats
    this.seam = sdk(workspace.apiKey)
    this.random = new Random(options.seed * 1_000 + index)
    this.marker = `c${index}-${randomUUID().slice(0, 6)}`
    this.counter = 0
    this.identities = new Map() // id -> { id, fullName, email, acsUserId, phones: Set, grants: Set, ownCredentials: Set }
    this.acsUsers = new Map() // id -> { id, identityId, credentials: Set }
    this.credentials = new Map() // id -> { id, acsUserId, identityId, multi, children: Map(childId -> deviceId|null) }
    this.phones = new Map() // device_id -> { deviceId, owner }
    this.seen = new Set() // every credential id this client has learned of, live or not
  }

  get system() {
    return this.ws.acsSystem.acs_system_id
  }

  unique(prefix) {
    this.counter++
    return `${prefix} ${this.marker} ${this.counter}`
  }

  email() {
    this.counter++
    return `${this.marker}-${this.counter}@example.com`.toLowerCase()
  }

  // --- the model ---

  identityOf(credential) {
    if (credential.acsUserId != null) return this.acsUsers.get(credential.acsUserId)?.identityId ?? null
    return credential.identityId
  }

  credentialsOfIdentity(identityId) {
    return [...this.credentials.values()].filter((c) => this.identityOf(c) === identityId)
  }

  multiParentsOf(acsUserId) {
    return [...(this.acsUsers.get(acsUserId)?.credentials ?? [])].map((id) => this.credentials.get(id)).filter((c) => c?.multi)
  }

  childIds(credentials) {
    return credentials.flatMap((c) => [...c.children.keys()])
  }

  /** What the model knows of a credential (or phone) id, for failure messages. */
  whatIs(id, identityId) {
    const credential = this.credentials.get(id)
    if (credential != null) {
      const owner = this.identityOf(credential)
      return `a live credential of ${credential.acsUserId != null ? `ACS user ${credential.acsUserId}` : 'no ACS user'}, which belongs to `
        + (owner == null ? 'no identity' : owner === identityId ? 'this identity' : `another identity (${owner})`)
    }
    const parent = [...this.credentials.values()].find((c) => c.children.has(id))
    if (parent != null) return `a live child of ${parent.id}`
    if (this.phones.has(id)) return `an active phone of ${this.phones.get(id).owner === identityId ? 'this identity' : 'another identity'}`
    return this.seen.has(id) ? 'a credential this client deleted (or set aside) earlier' : 'unknown to this client'
  }

  /** Sets an identity and what hangs on it aside after a write failed: the model no longer knows it. */
  taint(identityId) {
    const identity = this.identities.get(identityId)
    if (identity == null) return
    this.stats.tainted++
    this.identities.delete(identityId)
    for (const deviceId of identity.phones) this.phones.delete(deviceId)
    for (const id of identity.ownCredentials) this.credentials.delete(id)
    if (identity.acsUserId != null) this.forgetAcsUser(identity.acsUserId)
  }

  forgetAcsUser(acsUserId) {
    const user = this.acsUsers.get(acsUserId)
    if (user == null) return
    for (const id of user.credentials) this.credentials.delete(id)
    this.acsUsers.delete(acsUserId)
  }

  addIdentity(created) {
    const identity = {
      id: created.user_identity_id, fullName: created.full_name, email: created.email_address,
      acsUserId: null, phones: new Set(), grants: new Set(), ownCredentials: new Set(),
    }
    this.identities.set(identity.id, identity)
    return identity
  }

  addAcsUser(user, identityId) {
    const model = { id: user.acs_user_id, identityId: identityId ?? null, credentials: new Set() }
    this.acsUsers.set(model.id, model)
    if (identityId != null) this.identities.get(identityId).acsUserId = model.id
    return model
  }

  // --- the run ---

  chooseKind() {
    const identities = [...this.identities.values()]
    const free = identities.filter((i) => i.acsUserId == null)
    const linked = [...this.acsUsers.values()].filter((u) => u.identityId != null)
    const unlinked = [...this.acsUsers.values()].filter((u) => u.identityId == null)
    const phones = this.phones.size
    const parents = [...this.credentials.values()]
    const grants = identities.some((i) => i.grants.size > 0)
    const crowded = identities.length >= MAX_IDENTITIES
    const weights = {
      'identity.create': crowded ? 1 : 10,
      'identity.create_with_acs_system': crowded ? 0 : 4,
      'identity.update': identities.length > 0 ? 6 : 0,
      'identity.delete': identities.length > 0 ? (crowded ? 14 : 4) : 0,
      'acs_user.create_linked': free.length > 0 ? 8 : 0,
      'acs_user.create_then_link': 6,
      'acs_user.delete': this.acsUsers.size > 0 ? 4 : 0,
      'acs_user.suspend': this.acsUsers.size > 0 ? 3 : 0,
      'link.add': unlinked.length > 0 && free.length > 0 ? 5 : 0,
      'link.remove': linked.length > 0 ? 5 : 0,
      'credential.create': this.acsUsers.size > 0 ? 7 : 0,
      'credential.create_multi_phone': linked.length > 0 ? 9 : 0,
      'credential.create_by_identity': free.length > 0 ? 4 : 0,
      'credential.delete': parents.length > 0 ? 5 : 0,
      'phone.create': identities.length > 0 ? 10 : 0,
      'phone.deactivate': phones > 0 ? 8 : 0,
      'device.rename': identities.length > 0 ? 5 : 0,
      'grant.add': identities.length > 0 ? 5 : 0,
      'grant.revoke': grants ? 4 : 0,
    }
    return this.random.weighted(KINDS.map((kind) => [kind, weights[kind]]).filter(([, w]) => w > 0))
  }

  async runOne() {
    const kind = this.chooseKind()
    const seq = new Sequence(this, kind)
    this.stats.kind(kind).sequences++
    try {
      await this[SEQUENCES[kind]](seq)
    } catch (error) {
      if (!(error instanceof Abort)) {
        seq.record('checker', 'other_error', `${error?.stack ?? error}`)
      }
      for (const identityId of seq.involved) this.taint(identityId)
    }
  }

  // --- writes shared by the sequences (each followed by its checks) ---
  //
  // Each write is followed at once by the reads in the OTHER contexts (in random order, so that each
  // of them is sometimes the very first request after the write), then by the writer's own reads.

  async createIdentity(seq, { acsSystemIds } = {}) {
    const fullName = this.unique('Identity')
    const email = this.email()
    const created = await seq.write('userIdentities.create', () => this.seam.userIdentities.create({
      full_name: fullName, email_address: email, ...(acsSystemIds ? { acs_system_ids: acsSystemIds } : {}),
    }))
    const identity = this.addIdentity(created)
    seq.involved.add(identity.id)
    return identity
  }

  /** identity-service's own reads of a new identity. */
  identityReads(identity) {
    return [
      {
        name: 'userIdentities.get',
        body: async () => {
          const got = await this.seam.userIdentities.get({ user_identity_id: identity.id })
          expect(got.full_name === identity.fullName, `full_name ${short(got.full_name)}`)
        },
      },
      {
        name: 'userIdentities.list({user_identity_ids})',
        body: async () => {
          const listed = await this.seam.userIdentities.list({ user_identity_ids: [identity.id] })
          expect(listed.some((i) => i.user_identity_id === identity.id), 'not listed')
        },
      },
    ]
  }

  /**
   * The link between `identity` and `acsUserId`, as every context must show it now; `writer` is the
   * context whose write made it ('identity' or 'credential'): the other one is read first.
   */
  async checkLinked(seq, identity, acsUserId, prefix, writer) {
    const inCredential = writer !== 'credential'
    const inIdentity = writer !== 'identity'
    const parents = [...this.acsUsers.get(acsUserId).credentials]
    const items = [
      {
        name: `${prefix}: acs.users.get shows user_identity_id and the identity's fields`,
        cross: inCredential,
        body: async () => {
          const user = await this.seam.acs.users.get({ acs_user_id: acsUserId })
          expect(user.user_identity_id === identity.id, `user_identity_id ${short(user.user_identity_id)}`)
          expect(user.user_identity_full_name === identity.fullName,
            `user_identity_full_name ${short(user.user_identity_full_name)}, not ${short(identity.fullName)}`)
          expect(user.user_identity_email_address === identity.email,
            `user_identity_email_address ${short(user.user_identity_email_address)}, not ${short(identity.email)}`)
        },
      },
      {
        name: `${prefix}: acs.users.list({user_identity_id})`,
        cross: inCredential,
        body: async () => {
          const listed = await this.seam.acs.users.list({ user_identity_id: identity.id })
          expect(listed.some((u) => u.acs_user_id === acsUserId), `lists ${short(listed.map((u) => u.acs_user_id))}`)
        },
      },
      {
        name: `${prefix}: userIdentities.listAcsUsers`,
        cross: inIdentity,
        body: async () => {
          const listed = await this.seam.userIdentities.listAcsUsers({ user_identity_id: identity.id })
          expect(listed.some((u) => u.acs_user_id === acsUserId), `lists ${short(listed.map((u) => u.acs_user_id))}`)
        },
      },
      {
        name: `${prefix}: userIdentities.get acs_user_ids`,
        cross: inIdentity,
        body: async () => {
          const got = await this.seam.userIdentities.get({ user_identity_id: identity.id })
          expect(got.acs_user_ids.includes(acsUserId), `acs_user_ids ${short(got.acs_user_ids)}`)
        },
      },
      {
        name: `${prefix}: userIdentities.listAcsSystems`,
        cross: inIdentity,
        body: async () => {
          const systems = await this.seam.userIdentities.listAcsSystems({ user_identity_id: identity.id })
          expect(systems.some((s) => s.acs_system_id === this.system), `lists ${short(systems.map((s) => s.acs_system_id))}`)
        },
      },
    ]
    if (parents.length > 0) {
      items.push({
        name: `${prefix}: acs.credentials.list({user_identity_id}) has the ACS user's credentials`,
        cross: inCredential,
        body: async () => {
          const listed = new Set((await this.seam.acs.credentials.list({ user_identity_id: identity.id })).map((c) => c.acs_credential_id))
          const missing = parents.filter((id) => !listed.has(id))
          expect(missing.length === 0, `misses ${missing.join(', ')}`)
        },
      })
    }
    await seq.reads(items)
  }

  /** acs.users.create with user_identity_id: the identity resolves; every context shows the link. */
  async createLinkedAcsUser(seq, identity) {
    const user = await seq.write('acs.users.create({user_identity_id})', () => this.seam.acs.users.create({
      acs_system_id: this.system, user_identity_id: identity.id, full_name: this.unique('AcsUser'),
    }), { staleCodes: ['user_identity_already_has_acs_user'] })
    this.addAcsUser(user, identity.id)
    await this.checkLinked(seq, identity, user.acs_user_id, 'acs.users.create({user_identity_id})', 'credential')
    return user
  }

  /** userIdentities.addAcsUser: the ACS user resolves; every context shows the link; children follow. */
  async link(seq, identity, acsUserId) {
    await seq.write('userIdentities.addAcsUser', () => this.seam.userIdentities.addAcsUser({
      user_identity_id: identity.id, acs_user_id: acsUserId,
    }))
    const since = performance.now()
    const user = this.acsUsers.get(acsUserId)
    user.identityId = identity.id
    identity.acsUserId = acsUserId
    await this.checkLinked(seq, identity, acsUserId, 'userIdentities.addAcsUser', 'identity')
    const parents = this.multiParentsOf(acsUserId)
    if (parents.length > 0 && identity.phones.size > 0) {
      await this.childrenIssued(seq, 'children issued on linking', identity, parents, [...identity.phones], since)
    }
  }

  /**
   * Children of `parents` on `phones` (asynchronous in Seam): watched on the credential views and the
   * sandbox ACS; then phone-service and acs.credentials.get must show each child shown, at once.
   */
  async childrenIssued(seq, name, identity, parents, phones, since) {
    const parentIds = new Set(parents.map((p) => p.id))
    const known = new Set([...this.seen, ...this.childIds(this.credentialsOfIdentity(identity.id))])
    const expected = parents.length * phones.length
    const newChildren = (list) => new Set(list.filter((c) => parentIds.has(c.parent_acs_credential_id) && !known.has(c.acs_credential_id))
      .map((c) => c.acs_credential_id))
    const acsUserId = identity.acsUserId
    const phoneSet = new Set(phones)
    const { shown } = await seq.effect(name, [
      {
        name: 'acs.credentials.list({user_identity_id})',
        probe: async () => newChildren(await this.seam.acs.credentials.list({ user_identity_id: identity.id })),
        complete: (set) => set.size >= expected,
      },
      {
        name: 'acs.credentials.list({acs_user_id})',
        probe: async () => newChildren(await this.seam.acs.credentials.list({ acs_user_id: acsUserId })),
        complete: (set) => set.size >= expected,
      },
      {
        name: 'sandbox ACS holds them',
        obliged: false, // programming the ACS comes after, asynchronously
        probe: async () => new Set((await sandboxAcsCredentials(this.ws.workspaceId, this.system))
          .filter((c) => c.is_held && phoneSet.has(c.device_id) && !known.has(c.acs_credential_id)).map((c) => c.acs_credential_id)),
        complete: (set) => set.size >= expected,
      },
    ], { since })
    // What one view showed, every other endpoint shows at once.
    const children = [...shown.keys()]
    for (const id of children) this.seen.add(id)
    const onPhones = new Map()
    const parentOf = new Map()
    await seq.reads(children.flatMap((childId) => [
      {
        name: `${name}: phones.list({acs_credential_id}) of a child shown`,
        cross: true,
        body: async () => {
          const found = await this.seam.phones.list({ acs_credential_id: childId })
          expect(found.length === 1 && phoneSet.has(found[0].device_id), `finds ${short(found.map((p) => p.device_id))}`)
          onPhones.set(childId, found[0].device_id)
        },
      },
      {
        name: `${name}: acs.credentials.get of a child shown`,
        body: async () => {
          const child = await this.seam.acs.credentials.get({ acs_credential_id: childId })
          parentOf.set(childId, child.parent_acs_credential_id)
          expect(parentIds.has(child.parent_acs_credential_id), `parent_acs_credential_id ${short(child.parent_acs_credential_id)}`)
        },
      },
    ]))
    let held = null
    for (const childId of children) {
      const parentId = parentOf.get(childId)
      if (parentId == null || !parentIds.has(parentId)) continue
      let deviceId = onPhones.get(childId)
      if (deviceId == null) {
        held ??= await seq.lookup(`${name}: sandbox ACS devices of the children`, () => sandboxAcsCredentials(this.ws.workspaceId, this.system))
        deviceId = held.find((c) => c.acs_credential_id === childId)?.device_id ?? null
      }
      this.credentials.get(parentId)?.children.set(childId, deviceId)
    }
    if (children.length < expected) {
      // The model cannot say where the missing children will land: set the identity aside.
      throw new Abort(name)
    }
  }

  /** `childIds` revoked (asynchronous in Seam), watched on every view. Returns whether all showed it in time. */
  async childrenRevoked(seq, name, identity, acsUserId, childIds, since, { phoneDeactivated = false } = {}) {
    if (childIds.length === 0) return true
    const all = new Set(childIds)
    const absent = (list) => new Set(childIds.filter((id) => !list.some((c) => c.acs_credential_id === id)))
    const views = [
      {
        name: 'acs.credentials.list({acs_user_id})',
        probe: async () => absent(await this.seam.acs.credentials.list({ acs_user_id: acsUserId })),
        complete: (set) => set.size === all.size,
      },
      {
        name: 'acs.credentials.get',
        probe: async () => {
          const gone = new Set()
          for (const id of childIds) {
            try {
              await this.seam.acs.credentials.get({ acs_credential_id: id })
            } catch (error) {
              if (error instanceof SeamHttpApiError && error.statusCode === 404 && error.code === 'acs_credential_not_found') gone.add(id)
              else throw error
            }
          }
          return gone
        },
        complete: (set) => set.size === all.size,
      },
      {
        name: 'phones.list({acs_credential_id})',
        source: !phoneDeactivated, // empty anyway once the phone is deactivated
        probe: async () => {
          const gone = new Set()
          for (const id of childIds) if ((await this.seam.phones.list({ acs_credential_id: id })).length === 0) gone.add(id)
          return gone
        },
        complete: (set) => set.size === all.size,
      },
      {
        name: 'sandbox ACS removed them',
        obliged: false, // removal from the ACS comes after, asynchronously
        probe: async () => new Set((await sandboxAcsCredentials(this.ws.workspaceId, this.system))
          .filter((c) => all.has(c.acs_credential_id) && !c.is_held && c.times_removed > 0).map((c) => c.acs_credential_id)),
        complete: (set) => set.size === all.size,
      },
    ]
    if (identity != null) {
      views.unshift({
        name: 'acs.credentials.list({user_identity_id})',
        probe: async () => absent(await this.seam.acs.credentials.list({ user_identity_id: identity.id })),
        complete: (set) => set.size === all.size,
      })
    }
    return (await seq.effect(name, views, { since })).complete
  }

  /**
   * userIdentities.delete while `identity` still has dependents: refused with 409
   * user_identity_in_use naming each of `mustName`, none of `mustNotName`. Deleting it is stale
   * (and ends the sequence: the identity is gone).
   */
  deleteRefused(seq, check, identity, mustName, mustNotName) {
    return {
      name: check,
      cross: true,
      run: async () => {
        let deleted = false
        await seq.read(check, async () => {
          try {
            await this.seam.userIdentities.delete({ user_identity_id: identity.id })
            deleted = true
          } catch (error) {
            if (!(error instanceof SeamHttpApiError) || error.code !== 'user_identity_in_use') throw error
            const missing = mustName.filter((id) => !error.message.includes(id))
            expect(missing.length === 0, `the refusal does not name ${missing.join(', ')}: ${error.message}`)
            const named = mustNotName.filter((id) => error.message.includes(id))
            expect(named.length === 0, `the refusal names ${named.join(', ')}, which is gone: ${error.message}`)
            return
          }
          throw new Stale('deleted an identity that still has dependents')
        })
        if (deleted) {
          this.taint(identity.id)
          seq.stopped = true
        }
      },
    }
  }

  async createPhone(seq, identity) {
    const phone = await seq.write('phones.simulate.createSandboxPhone', () => this.seam.phones.simulate.createSandboxPhone({
      user_identity_id: identity.id,
    }))
    const answered = performance.now()
    identity.phones.add(phone.device_id)
    this.phones.set(phone.device_id, { deviceId: phone.device_id, owner: identity.id })
    const items = [
      { name: 'phones.get', body: () => this.seam.phones.get({ device_id: phone.device_id }) },
      {
        name: 'phones.list({owner_user_identity_id})',
        body: async () => {
          const listed = await this.seam.phones.list({ owner_user_identity_id: identity.id })
          expect(listed.some((p) => p.device_id === phone.device_id), 'not listed')
        },
      },
    ]
    if (this.random.chance(0.5)) {
      items.push(this.deleteRefused(seq, 'userIdentities.delete refused, naming the new phone', identity, [phone.device_id], []))
    }
    await seq.reads(items)
    const parents = identity.acsUserId != null ? this.multiParentsOf(identity.acsUserId) : []
    if (parents.length > 0) {
      await this.childrenIssued(seq, 'children issued on the new phone', identity, parents, [phone.device_id], answered)
    }
    return phone
  }

  async createCredential(seq, acsUserId, accessMethod, multi) {
    const user = this.acsUsers.get(acsUserId)
    const credential = await seq.write(`acs.credentials.create(${accessMethod}${multi ? ', multi-phone sync' : ''})`,
      () => this.seam.acs.credentials.create({
        acs_user_id: acsUserId, access_method: accessMethod, ...(multi ? { is_multi_phone_sync_credential: true } : {}),
      }))
    const answered = performance.now()
    this.seen.add(credential.acs_credential_id)
    this.credentials.set(credential.acs_credential_id, {
      id: credential.acs_credential_id, acsUserId, identityId: null, multi, children: new Map(),
    })
    user.credentials.add(credential.acs_credential_id)
    const identity = user.identityId != null ? this.identities.get(user.identityId) : null
    const items = [
      { name: 'acs.credentials.get', body: () => this.seam.acs.credentials.get({ acs_credential_id: credential.acs_credential_id }) },
      {
        name: 'acs.credentials.list({acs_user_id})',
        body: async () => {
          const listed = await this.seam.acs.credentials.list({ acs_user_id: acsUserId })
          expect(listed.some((c) => c.acs_credential_id === credential.acs_credential_id), 'not listed')
        },
      },
    ]
    if (identity != null) {
      items.push({
        name: 'acs.credentials.list({user_identity_id})',
        body: async () => {
          const listed = await this.seam.acs.credentials.list({ user_identity_id: identity.id })
          expect(listed.some((c) => c.acs_credential_id === credential.acs_credential_id), 'not listed')
        },
      })
      if (this.random.chance(0.4)) {
        items.push(this.deleteRefused(seq, 'userIdentities.delete refused, naming the new credential', identity,
          [credential.acs_credential_id], []))
      }
    }
    await seq.reads(items)
    if (multi && identity != null && identity.phones.size > 0) {
      await this.childrenIssued(seq, 'children issued on each phone', identity, [this.credentials.get(credential.acs_credential_id)],
        [...identity.phones], answered)
    } else if (!multi) {
      await seq.effect('programmed on the ACS', [{
        name: 'sandbox ACS holds it',
        obliged: false,
        probe: async () => new Set((await sandboxAcsCredentials(this.ws.workspaceId, this.system))
          .filter((c) => c.acs_credential_id === credential.acs_credential_id && c.is_held).map((c) => c.acs_credential_id)),
        complete: (set) => set.size === 1,
      }], { since: answered })
    }
    return credential
  }

  // --- the sequences ---

  async identityCreate(seq) {
    const identity = await this.createIdentity(seq)
    // At once a write in another context that names it; then identity-service's own reads.
    switch (this.random.int(4)) {
      case 0: await this.createLinkedAcsUser(seq, identity); break
      case 1: await this.createPhone(seq, identity); break
      case 2: await this.credentialByIdentity(seq, identity); break
      default: await this.grant(seq, identity); break
    }
    await seq.reads(this.identityReads(identity))
  }

  async identityCreateWithAcsSystem(seq) {
    const identity = await this.createIdentity(seq, { acsSystemIds: [this.system] })
    let acsUserId = null
    await seq.read('acs.users.list({user_identity_id}) has the ACS user created for it', async () => {
      const listed = await this.seam.acs.users.list({ user_identity_id: identity.id })
      expect(listed.length === 1, `lists ${short(listed.map((u) => u.acs_user_id))}`)
      acsUserId = listed[0].acs_user_id
    })
    if (acsUserId == null) throw new Abort('no ACS user') // it may still come: set the identity aside
    this.addAcsUser({ acs_user_id: acsUserId }, identity.id)
    await this.checkLinked(seq, identity, acsUserId, 'userIdentities.create({acs_system_ids})', 'identity')
    await seq.reads(this.identityReads(identity))
  }

  async identityUpdate(seq) {
    const identity = this.random.pick([...this.identities.values()].sort((a, b) => (b.acsUserId != null) - (a.acsUserId != null)).slice(0, 6))
    seq.involved.add(identity.id)
    const fullName = this.unique('Renamed')
    const email = this.random.chance(0.5) ? this.email() : identity.email
    await seq.write('userIdentities.update', () => this.seam.userIdentities.update({
      user_identity_id: identity.id, full_name: fullName, ...(email !== identity.email ? { email_address: email } : {}),
    }))
    identity.fullName = fullName
    identity.email = email
    const items = [{
      name: 'userIdentities.get',
      body: async () => {
        const got = await this.seam.userIdentities.get({ user_identity_id: identity.id })
        expect(got.full_name === fullName && got.email_address === email, `full_name ${short(got.full_name)}, email ${short(got.email_address)}`)
      },
    }]
    const acsUserId = identity.acsUserId
    if (acsUserId != null) {
      items.push({
        name: 'acs.users.get shows the new user_identity_full_name and _email_address',
        cross: true,
        body: async () => {
          const user = await this.seam.acs.users.get({ acs_user_id: acsUserId })
          expect(user.user_identity_full_name === fullName, `user_identity_full_name ${short(user.user_identity_full_name)}, not ${short(fullName)}`)
          expect(user.user_identity_email_address === email, `user_identity_email_address ${short(user.user_identity_email_address)}`)
        },
      }, {
        name: 'acs.users.list({user_identity_email_address}) with the new address',
        cross: true,
        body: async () => {
          const listed = await this.seam.acs.users.list({ user_identity_email_address: email })
          expect(listed.some((u) => u.acs_user_id === acsUserId), `lists ${short(listed.map((u) => u.acs_user_id))}`)
        },
      }, {
        name: 'userIdentities.listAcsUsers shows the new user_identity_full_name',
        body: async () => {
          const listed = await this.seam.userIdentities.listAcsUsers({ user_identity_id: identity.id })
          const user = listed.find((u) => u.acs_user_id === acsUserId)
          expect(user?.user_identity_full_name === fullName, `user_identity_full_name ${short(user?.user_identity_full_name)}`)
        },
      })
    }
    await seq.reads(items)
  }

  async identityDelete(seq) {
    const identity = this.random.pick([...this.identities.values()])
    seq.involved.add(identity.id)
    const gone = new Map() // what this sequence deleted, for the failure's message
    for (const deviceId of [...identity.phones]) {
      await seq.write('phones.deactivate (before the delete)', () => this.seam.phones.deactivate({ device_id: deviceId }))
      identity.phones.delete(deviceId)
      this.phones.delete(deviceId)
      gone.set(deviceId, 'a phone deactivated just before')
    }
    if (identity.acsUserId != null) {
      const acsUserId = identity.acsUserId
      for (const parent of this.acsUsers.get(acsUserId).credentials) {
        gone.set(parent, 'a credential of the ACS user deleted just before')
        for (const child of this.credentials.get(parent)?.children.keys() ?? []) gone.set(child, 'a child of a credential of the ACS user deleted just before')
      }
      await seq.write('acs.users.delete (before the delete)', () => this.seam.acs.users.delete({ acs_user_id: acsUserId }))
      this.forgetAcsUser(acsUserId)
      identity.acsUserId = null
    }
    for (const id of [...identity.ownCredentials]) {
      await seq.write('acs.credentials.delete (before the delete)', () => this.seam.acs.credentials.delete({ acs_credential_id: id }))
      identity.ownCredentials.delete(id)
      this.credentials.delete(id)
      gone.set(id, 'a credential deleted just before')
    }
    // identity-service knows at once that nothing depends on it any more.
    await seq.write('userIdentities.delete once its phones and credentials are gone',
      () => this.seam.userIdentities.delete({ user_identity_id: identity.id }), {
        staleCodes: ['user_identity_in_use'],
        explain: (error) => {
          const ids = String(error.message ?? '').match(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g) ?? []
          return `it names ${ids.map((id) => `${id}: ${gone.get(id) ?? this.whatIs(id, identity.id)}`).join('; ')}`
        },
      })
    this.identities.delete(identity.id)
    seq.involved.delete(identity.id)
    await seq.reads([
      {
        name: 'userIdentities.get: user_identity_not_found',
        body: () => expectNotFound(() => this.seam.userIdentities.get({ user_identity_id: identity.id }), 'user_identity_not_found'),
      },
      {
        name: 'userIdentities.list({user_identity_ids}) leaves it out',
        body: async () => {
          const listed = await this.seam.userIdentities.list({ user_identity_ids: [identity.id] })
          expect(listed.length === 0, `lists ${short(listed.map((i) => i.user_identity_id))}`)
        },
      },
      // Other contexts refuse to name it.
      {
        name: 'acs.users.create({user_identity_id}): user_identity_not_found',
        cross: true,
        body: async () => {
          let created
          try {
            await expectNotFound(async () => {
              created = await this.seam.acs.users.create({
                acs_system_id: this.system, user_identity_id: identity.id, full_name: this.unique('Orphan'),
              })
              return created
            }, 'user_identity_not_found')
          } finally {
            if (created) await this.seam.acs.users.delete({ acs_user_id: created.acs_user_id }).catch(() => {})
          }
        },
      },
      {
        name: 'acs.credentials.create({user_identity_id}): user_identity_not_found',
        cross: true,
        body: async () => {
          let created
          try {
            await expectNotFound(async () => {
              created = await this.seam.acs.credentials.create({ user_identity_id: identity.id, acs_system_id: this.system, access_method: 'card' })
              return created
            }, 'user_identity_not_found')
          } finally {
            if (created) await this.seam.acs.credentials.delete({ acs_credential_id: created.acs_credential_id }).catch(() => {})
          }
        },
      },
      { name: 'phones.simulate.createSandboxPhone({deleted user_identity_id})', cross: true, run: () => this.sandboxPhoneForDeletedIdentity(seq, identity.id) },
    ])
  }

  /**
   * phones.simulate.createSandboxPhone for a deleted identity must be user_identity_not_found. When
   * phone-service checks no identity at all (a never-known id registers a phone too), that is noted
   * as unsupported rather than counted as stale.
   */
  async sandboxPhoneForDeletedIdentity(seq, deletedId) {
    const strays = []
    try {
      await seq.read('phones.simulate.createSandboxPhone({deleted user_identity_id}): user_identity_not_found', async () => {
        try {
          const stray = await this.seam.phones.simulate.createSandboxPhone({ user_identity_id: deletedId })
          strays.push(stray.device_id)
        } catch (error) {
          if (error instanceof SeamHttpApiError && error.statusCode === 404 && error.code === 'user_identity_not_found') return
          throw error
        }
        // Stale only if phone-service refuses identities it never knew.
        try {
          const unknown = await this.seam.phones.simulate.createSandboxPhone({ user_identity_id: randomUUID() })
          strays.push(unknown.device_id)
        } catch (error) {
          if (error instanceof SeamHttpApiError && error.statusCode === 404) {
            throw new Stale(`registered a phone for the deleted identity, while it refuses unknown ones`)
          }
          throw error
        }
        this.stats.note('phones.simulate.createSandboxPhone registers a phone for an unknown user_identity_id (no 404)')
      })
    } finally {
      for (const deviceId of strays) await this.seam.phones.deactivate({ device_id: deviceId }).catch(() => {})
    }
  }

  async acsUserCreateLinked(seq) {
    const identity = this.random.pick([...this.identities.values()].filter((i) => i.acsUserId == null))
    seq.involved.add(identity.id)
    await this.createLinkedAcsUser(seq, identity)
  }

  async acsUserCreateThenLink(seq) {
    const user = await seq.write('acs.users.create (no identity)', () => this.seam.acs.users.create({
      acs_system_id: this.system, full_name: this.unique('Unlinked'),
    }))
    this.addAcsUser(user, null)
    let identity = this.random.pick([...this.identities.values()].filter((i) => i.acsUserId == null))
    const fresh = identity == null || this.random.chance(0.3)
    if (fresh) identity = await this.createIdentity(seq)
    seq.involved.add(identity.id)
    try {
      // identity-service knows the ACS user credential-service just created.
      await this.link(seq, identity, user.acs_user_id)
    } catch (error) {
      if (error instanceof Abort && this.acsUsers.get(user.acs_user_id)?.identityId == null) this.forgetAcsUser(user.acs_user_id)
      throw error
    }
    if (fresh) await seq.reads(this.identityReads(identity))
  }

  async linkAdd(seq) {
    const user = this.random.pick([...this.acsUsers.values()].filter((u) => u.identityId == null))
    const identity = this.random.pick([...this.identities.values()].filter((i) => i.acsUserId == null))
    seq.involved.add(identity.id)
    try {
      await this.link(seq, identity, user.id)
    } catch (error) {
      if (error instanceof Abort && user.identityId == null) this.forgetAcsUser(user.id)
      throw error
    }
  }

  async linkRemove(seq) {
    const user = this.random.pick([...this.acsUsers.values()].filter((u) => u.identityId != null))
    const identity = this.identities.get(user.identityId)
    seq.involved.add(identity.id)
    const parents = [...user.credentials]
    const children = this.childIds(this.multiParentsOf(user.id))
    await seq.write('userIdentities.removeAcsUser', () => this.seam.userIdentities.removeAcsUser({
      user_identity_id: identity.id, acs_user_id: user.id,
    }))
    const answered = performance.now()
    user.identityId = null
    identity.acsUserId = null
    const items = [
      {
        name: 'acs.users.get shows no user_identity_id',
        cross: true,
        body: async () => {
          const got = await this.seam.acs.users.get({ acs_user_id: user.id })
          expect(got.user_identity_id === undefined, `user_identity_id ${short(got.user_identity_id)}`)
        },
      },
      {
        name: 'acs.users.list({user_identity_id}) leaves it out',
        cross: true,
        body: async () => {
          const listed = await this.seam.acs.users.list({ user_identity_id: identity.id })
          expect(!listed.some((u) => u.acs_user_id === user.id), 'still listed')
        },
      },
      {
        name: 'userIdentities.listAcsUsers leaves it out',
        body: async () => {
          const listed = await this.seam.userIdentities.listAcsUsers({ user_identity_id: identity.id })
          expect(!listed.some((u) => u.acs_user_id === user.id), 'still listed')
        },
      },
    ]
    if (parents.length > 0) {
      items.push({
        name: 'acs.credentials.list({user_identity_id}) leaves its credentials out',
        cross: true,
        body: async () => {
          const listed = new Set((await this.seam.acs.credentials.list({ user_identity_id: identity.id })).map((c) => c.acs_credential_id))
          const still = parents.filter((id) => listed.has(id))
          expect(still.length === 0, `still lists ${still.join(', ')}`)
        },
      })
    }
    await seq.reads(items)
    if (children.length > 0) {
      const revoked = await this.childrenRevoked(seq, 'children revoked on unlinking', null, user.id, children, answered)
      for (const parent of this.multiParentsOf(user.id)) parent.children.clear()
      // The model no longer knows which children it has: leave the ACS user alone from now on.
      if (!revoked) this.forgetAcsUser(user.id)
    }
  }

  async acsUserDelete(seq) {
    const user = this.random.pick([...this.acsUsers.values()])
    const identity = user.identityId != null ? this.identities.get(user.identityId) : null
    if (identity) seq.involved.add(identity.id)
    const credentials = [...user.credentials]
    const children = this.childIds(this.multiParentsOf(user.id))
    await seq.write('acs.users.delete', () => this.seam.acs.users.delete({ acs_user_id: user.id }))
    this.forgetAcsUser(user.id)
    if (identity) identity.acsUserId = null
    const items = [
      {
        name: 'acs.users.get: acs_user_not_found',
        body: () => expectNotFound(() => this.seam.acs.users.get({ acs_user_id: user.id }), 'acs_user_not_found'),
      },
      {
        name: 'acs.credentials.list({acs_user_id}) is empty',
        body: async () => {
          const listed = await this.seam.acs.credentials.list({ acs_user_id: user.id })
          expect(listed.length === 0, `lists ${short(listed.map((c) => c.acs_credential_id))}`)
        },
      },
      ...[...credentials, ...children].slice(0, 3).map((id) => ({
        name: 'acs.credentials.get of its credentials: acs_credential_not_found',
        body: () => expectNotFound(() => this.seam.acs.credentials.get({ acs_credential_id: id }), 'acs_credential_not_found'),
      })),
      ...children.map((id) => ({
        name: 'phones.list({acs_credential_id}) of its children is empty',
        cross: true,
        body: async () => {
          const found = await this.seam.phones.list({ acs_credential_id: id })
          expect(found.length === 0, `finds ${short(found.map((p) => p.device_id))}`)
        },
      })),
    ]
    if (identity != null) {
      items.push({
        name: 'userIdentities.listAcsUsers leaves it out',
        cross: true,
        body: async () => {
          const listed = await this.seam.userIdentities.listAcsUsers({ user_identity_id: identity.id })
          expect(!listed.some((u) => u.acs_user_id === user.id), 'still listed')
        },
      }, {
        name: 'userIdentities.get acs_user_ids leaves it out',
        cross: true,
        body: async () => {
          const got = await this.seam.userIdentities.get({ user_identity_id: identity.id })
          expect(!got.acs_user_ids.includes(user.id), `acs_user_ids ${short(got.acs_user_ids)}`)
        },
      })
      if (credentials.length > 0) {
        items.push({
          name: 'acs.credentials.list({user_identity_id}) leaves its credentials out',
          body: async () => {
            const listed = new Set((await this.seam.acs.credentials.list({ user_identity_id: identity.id })).map((c) => c.acs_credential_id))
            const still = credentials.filter((id) => listed.has(id))
            expect(still.length === 0, `still lists ${still.join(', ')}`)
          },
        })
      }
      if (this.random.chance(0.3)) {
        items.push({
          name: 'userIdentities.addAcsUser of the deleted ACS user: acs_user_not_found',
          cross: true,
          run: async () => {
            let linked = false
            await seq.read('userIdentities.addAcsUser of the deleted ACS user: acs_user_not_found', () => expectNotFound(async () => {
              await this.seam.userIdentities.addAcsUser({ user_identity_id: identity.id, acs_user_id: user.id })
              linked = true
            }, 'acs_user_not_found'))
            if (linked) {
              this.taint(identity.id)
              seq.stopped = true
            }
          },
        })
      }
    }
    await seq.reads(items)
  }

  async acsUserSuspend(seq) {
    const user = this.random.pick([...this.acsUsers.values()])
    const identity = user.identityId != null ? this.identities.get(user.identityId) : null
    if (identity) seq.involved.add(identity.id)
    const ids = new Set([...user.credentials, ...this.childIds(this.multiParentsOf(user.id))])
    const heldBefore = new Set((await seq.lookup('sandbox ACS before', () => sandboxAcsCredentials(this.ws.workspaceId, this.system)))
      .filter((c) => ids.has(c.acs_credential_id) && c.is_held).map((c) => c.acs_credential_id))
    const onAcs = (held) => async () => new Set((await sandboxAcsCredentials(this.ws.workspaceId, this.system))
      .filter((c) => heldBefore.has(c.acs_credential_id) && c.is_held === held).map((c) => c.acs_credential_id))
    for (const suspended of [true, false]) {
      const verb = suspended ? 'suspend' : 'unsuspend'
      await seq.write(`acs.users.${verb}`, () => this.seam.acs.users[verb]({ acs_user_id: user.id }))
      const answered = performance.now()
      const items = [{
        name: `acs.users.get after ${verb}: is_suspended ${suspended}`,
        body: async () => {
          const got = await this.seam.acs.users.get({ acs_user_id: user.id })
          expect(got.is_suspended === suspended, `is_suspended ${short(got.is_suspended)}`)
        },
      }]
      if (identity != null) {
        items.push({
          name: `userIdentities.listAcsUsers after ${verb}: is_suspended ${suspended}`,
          cross: true,
          body: async () => {
            const listed = await this.seam.userIdentities.listAcsUsers({ user_identity_id: identity.id })
            const got = listed.find((u) => u.acs_user_id === user.id)
            expect(got != null, 'not listed')
            expect(suspended ? got.is_suspended === true : got.is_suspended !== true, `is_suspended ${short(got.is_suspended)}`)
          },
        })
      }
      await seq.reads(items)
      if (heldBefore.size > 0) {
        await seq.effect(suspended ? 'taken off the ACS on suspending' : 'back on the ACS on unsuspending', [{
          name: suspended ? 'sandbox ACS no longer holds them' : 'sandbox ACS holds them again',
          obliged: false,
          probe: onAcs(!suspended),
          complete: (set) => set.size === heldBefore.size,
        }], { since: answered })
      }
    }
  }

  async credentialCreate(seq) {
    const user = this.random.pick([...this.acsUsers.values()].filter((u) => u.credentials.size < MAX_CREDENTIALS_PER_ACS_USER))
      ?? this.random.pick([...this.acsUsers.values()])
    if (user.identityId != null) seq.involved.add(user.identityId)
    await this.createCredential(seq, user.id, this.random.pick(['code', 'card', 'mobile_key']), false)
  }

  async credentialCreateMultiPhone(seq) {
    const user = this.random.pick([...this.acsUsers.values()].filter((u) => u.identityId != null))
    const identity = this.identities.get(user.identityId)
    seq.involved.add(identity.id)
    if (identity.phones.size === 0) await this.createPhone(seq, identity)
    await this.createCredential(seq, user.id, 'mobile_key', true)
  }

  async credentialByIdentity(seq, identity) {
    const created = await seq.write('acs.credentials.create({user_identity_id, acs_system_id})',
      () => this.seam.acs.credentials.create({ user_identity_id: identity.id, acs_system_id: this.system, access_method: 'code' }))
    this.seen.add(created.acs_credential_id)
    if (created.acs_user_id == null) {
      this.stats.note('acs.credentials.create by user_identity_id does not create the identity\'s ACS user')
      this.credentials.set(created.acs_credential_id, { id: created.acs_credential_id, acsUserId: null, identityId: identity.id, multi: false, children: new Map() })
      identity.ownCredentials.add(created.acs_credential_id)
      await seq.read('acs.credentials.list({user_identity_id})', async () => {
        const listed = await this.seam.acs.credentials.list({ user_identity_id: identity.id })
        expect(listed.some((c) => c.acs_credential_id === created.acs_credential_id), 'not listed')
      })
      return
    }
    const user = this.addAcsUser({ acs_user_id: created.acs_user_id }, identity.id)
    this.credentials.set(created.acs_credential_id, { id: created.acs_credential_id, acsUserId: user.id, identityId: null, multi: false, children: new Map() })
    user.credentials.add(created.acs_credential_id)
    await this.checkLinked(seq, identity, user.id, 'acs.credentials.create({user_identity_id}) created the ACS user', 'credential')
  }

  async credentialCreateByIdentity(seq) {
    const identity = this.random.pick([...this.identities.values()].filter((i) => i.acsUserId == null))
    seq.involved.add(identity.id)
    await this.credentialByIdentity(seq, identity)
  }

  async credentialDelete(seq) {
    const credential = this.random.pick([...this.credentials.values()])
    const identityId = this.identityOf(credential)
    if (identityId != null) seq.involved.add(identityId)
    const children = [...credential.children.keys()]
    const ids = [credential.id, ...children]
    const heldBefore = new Set((await seq.lookup('sandbox ACS before', () => sandboxAcsCredentials(this.ws.workspaceId, this.system)))
      .filter((c) => ids.includes(c.acs_credential_id) && c.is_held).map((c) => c.acs_credential_id))
    await seq.write(`acs.credentials.delete${credential.multi ? ' (multi-phone sync)' : ''}`,
      () => this.seam.acs.credentials.delete({ acs_credential_id: credential.id }))
    const answered = performance.now()
    this.credentials.delete(credential.id)
    if (credential.acsUserId != null) this.acsUsers.get(credential.acsUserId)?.credentials.delete(credential.id)
    else this.identities.get(credential.identityId)?.ownCredentials.delete(credential.id)
    const filter = credential.acsUserId != null ? { acs_user_id: credential.acsUserId } : identityId != null ? { user_identity_id: identityId } : null
    const items = [
      ...ids.slice(0, 3).map((id) => ({
        name: 'acs.credentials.get: acs_credential_not_found',
        body: () => expectNotFound(() => this.seam.acs.credentials.get({ acs_credential_id: id }), 'acs_credential_not_found'),
      })),
      ...children.map((id) => ({
        name: 'phones.list({acs_credential_id}) of a deleted child is empty',
        cross: true,
        body: async () => {
          const found = await this.seam.phones.list({ acs_credential_id: id })
          expect(found.length === 0, `finds ${short(found.map((p) => p.device_id))}`)
        },
      })),
    ]
    if (filter != null) {
      items.push({
        name: `acs.credentials.list(${Object.keys(filter)[0]}) leaves it and its children out`,
        body: async () => {
          const listed = new Set((await this.seam.acs.credentials.list(filter)).map((c) => c.acs_credential_id))
          const still = ids.filter((id) => listed.has(id))
          expect(still.length === 0, `still lists ${still.join(', ')}`)
        },
      })
    }
    await seq.reads(items)
    if (heldBefore.size > 0) {
      await seq.effect('removed from the ACS', [{
        name: 'sandbox ACS no longer holds them',
        obliged: false,
        probe: async () => new Set((await sandboxAcsCredentials(this.ws.workspaceId, this.system))
          .filter((c) => heldBefore.has(c.acs_credential_id) && !c.is_held).map((c) => c.acs_credential_id)),
        complete: (set) => set.size === heldBefore.size,
      }], { since: answered })
    }
  }

  async phoneCreate(seq) {
    let identity = this.random.pick([...this.identities.values()].filter((i) => i.phones.size < MAX_PHONES_PER_IDENTITY))
    const fresh = identity == null
    if (fresh) identity = await this.createIdentity(seq)
    seq.involved.add(identity.id)
    await this.createPhone(seq, identity)
    if (fresh) await seq.reads(this.identityReads(identity))
  }

  async phoneDeactivate(seq) {
    const deviceId = this.random.pick([...this.phones.keys()])
    const phone = this.phones.get(deviceId)
    const identity = this.identities.get(phone.owner)
    seq.involved.add(identity.id)
    const children = this.credentialsOfIdentity(identity.id).flatMap((c) => [...c.children].filter(([, d]) => d === deviceId).map(([id]) => id))
    await seq.write('phones.deactivate', () => this.seam.phones.deactivate({ device_id: deviceId }))
    const answered = performance.now()
    this.phones.delete(deviceId)
    identity.phones.delete(deviceId)
    const items = [
      {
        name: 'phones.get: phone_not_found',
        body: () => expectNotFound(() => this.seam.phones.get({ device_id: deviceId }), 'phone_not_found'),
      },
      {
        name: 'phones.list({owner_user_identity_id}) leaves it out',
        body: async () => {
          const listed = await this.seam.phones.list({ owner_user_identity_id: identity.id })
          expect(!listed.some((p) => p.device_id === deviceId), 'still listed')
        },
      },
      ...children.map((id) => ({
        name: 'phones.list({acs_credential_id}) of a child on it is empty',
        body: async () => {
          const found = await this.seam.phones.list({ acs_credential_id: id })
          expect(found.length === 0, `finds ${short(found.map((p) => p.device_id))}`)
        },
      })),
    ]
    // Only while something else keeps the identity: else a correct answer deletes it.
    const others = identity.phones.size + this.credentialsOfIdentity(identity.id).length
    if (others > 0 && this.random.chance(0.4)) {
      items.push(this.deleteRefused(seq, 'userIdentities.delete refused, not naming the deactivated phone', identity,
        [...identity.phones], [deviceId]))
    }
    await seq.reads(items)
    if (children.length > 0) {
      await this.childrenRevoked(seq, 'the lost phone\'s keys revoked', identity, identity.acsUserId, children, answered,
        { phoneDeactivated: true })
      for (const parent of this.credentialsOfIdentity(identity.id)) for (const id of children) parent.children.delete(id)
    }
  }

  async deviceRename(seq) {
    const device = this.random.pick([...this.ws.devices.values()])
    await device.mutex.run(async () => {
      const identity = this.random.pick([...this.identities.values()].filter((i) => i.grants.has(device.deviceId)))
        ?? await this.grant(seq, this.random.pick([...this.identities.values()]), device)
      seq.involved.add(identity.id)
      const name = this.unique('Door')
      try {
        await seq.write('devices.update({name})', () => this.seam.devices.update({ device_id: device.deviceId, name }))
      } catch (error) {
        // A rename that failed may have been saved all the same (a 503 of the publication barrier):
        // the name is unknown until the next rename answers.
        device.name = null
        throw error
      }
      device.name = name
      await seq.reads([
        {
          name: 'userIdentities.listAccessibleDevices shows the name',
          cross: true,
          body: async () => {
            const devices = await this.seam.userIdentities.listAccessibleDevices({ user_identity_id: identity.id })
            const got = devices.find((d) => d.device_id === device.deviceId)
            expect(got != null, 'not listed')
            expect(got.display_name === name, `display_name ${short(got.display_name)}, not ${short(name)}`)
          },
        },
        {
          name: 'devices.get shows the name',
          body: async () => {
            const got = await this.seam.devices.get({ device_id: device.deviceId })
            expect(got.display_name === name, `display_name ${short(got.display_name)}`)
          },
        },
      ])
    })
  }

  /** grantAccessToDevice: the device (device-gateway's) resolves, and shows with its current name. */
  async grant(seq, identity, lockedDevice) {
    const body = async (device) => {
      seq.involved.add(identity.id)
      await seq.write('userIdentities.grantAccessToDevice', () => this.seam.userIdentities.grantAccessToDevice({
        user_identity_id: identity.id, device_id: device.deviceId,
      }))
      identity.grants.add(device.deviceId)
      await seq.read('userIdentities.listAccessibleDevices shows it, with its current name', async () => {
        const devices = await this.seam.userIdentities.listAccessibleDevices({ user_identity_id: identity.id })
        const got = devices.find((d) => d.device_id === device.deviceId)
        expect(got != null, 'not listed')
        if (device.name != null) {
          expect(got.display_name === device.name, `display_name ${short(got.display_name)}, not ${short(device.name)}`)
        }
      })
      return identity
    }
    if (lockedDevice) return body(lockedDevice)
    const device = this.random.pick([...this.ws.devices.values()])
    return device.mutex.run(() => body(device))
  }

  async grantAdd(seq) {
    await this.grant(seq, this.random.pick([...this.identities.values()]))
  }

  async grantRevoke(seq) {
    const identity = this.random.pick([...this.identities.values()].filter((i) => i.grants.size > 0))
    seq.involved.add(identity.id)
    const deviceId = this.random.pick([...identity.grants])
    await seq.write('userIdentities.revokeAccessToDevice', () => this.seam.userIdentities.revokeAccessToDevice({
      user_identity_id: identity.id, device_id: deviceId,
    }))
    identity.grants.delete(deviceId)
    await seq.read('userIdentities.listAccessibleDevices leaves it out', async () => {
      const devices = await this.seam.userIdentities.listAccessibleDevices({ user_identity_id: identity.id })
      expect(!devices.some((d) => d.device_id === deviceId), 'still listed')
    })
  }
}

const SEQUENCES = {
  'identity.create': 'identityCreate',
  'identity.create_with_acs_system': 'identityCreateWithAcsSystem',
  'identity.update': 'identityUpdate',
  'identity.delete': 'identityDelete',
  'acs_user.create_linked': 'acsUserCreateLinked',
  'acs_user.create_then_link': 'acsUserCreateThenLink',
  'acs_user.delete': 'acsUserDelete',
  'acs_user.suspend': 'acsUserSuspend',
  'link.add': 'linkAdd',
  'link.remove': 'linkRemove',
  'credential.create': 'credentialCreate',
  'credential.create_multi_phone': 'credentialCreateMultiPhone',
  'credential.create_by_identity': 'credentialCreateByIdentity',
  'credential.delete': 'credentialDelete',
  'phone.create': 'phoneCreate',
  'phone.deactivate': 'phoneDeactivate',
  'device.rename': 'deviceRename',
  'grant.add': 'grantAdd',
  'grant.revoke': 'grantRevoke',
}

// --- main ----------------------------------------------------------------------------------------

async function main() {
  const stats = new Stats()
  const started = performance.now()
  const deadline = started + options.durationS * 1_000
  // The platform answers with the given key.
  try {
    await sdk(options.apiKey).workspaces.get()
  } catch (error) {
    console.error(`[consistency] the platform at ${endpoint} does not answer workspaces.get with the given API key: ${describe(error)}`)
    process.exit(2)
  }

  // own: a workspace per client; shared: one for all; mixed: even clients share one, odd ones have their own.
  const sharedFor = (index) => options.workspaces === 'shared' || (options.workspaces === 'mixed' && index % 2 === 0)
  let sharedWorkspace = null
  const clients = []
  for (let index = 0; index < options.clients; index++) {
    let workspace
    if (sharedFor(index)) {
      sharedWorkspace ??= await createCheckedWorkspace(stats, 'shared')
      workspace = sharedWorkspace
    } else {
      workspace = await createCheckedWorkspace(stats, `client ${index}`)
    }
    clients.push(new Client(index, workspace, stats))
  }
  const workspaceCount = new Set(clients.map((c) => c.ws.workspaceId)).size
  console.log(`[consistency] ${endpoint}: ${options.sequences} sequences from ${options.clients} clients in ${workspaceCount} workspace(s)`
    + ` (${options.workspaces}), seed ${options.seed}, asynchronous bound ${ASYNC_BOUND_MS} ms, at most ${options.durationS} s`)

  let next = 0
  let done = 0
  let truncated = false
  let stopped = false
  // A run ended by --stop-file may be far from --sequences: report progress every 100 sequences.
  const progressEvery = Math.max(1, Math.min(Math.floor(options.sequences / 10), options.stopFile ? 100 : Infinity))
  if (options.startedFile) writeFileSync(options.startedFile, `${new Date().toISOString()}\n`)
  await Promise.all(clients.map(async (client) => {
    while (true) {
      if (performance.now() >= deadline) {
        truncated = true
        return
      }
      if (options.stopFile && existsSync(options.stopFile)) {
        stopped = true
        return
      }
      if (next >= options.sequences) return
      next++
      await client.runOne()
      done++
      if (done % progressEvery === 0) {
        const t = stats.totals
        console.log(`[consistency] ${done}/${options.sequences} sequences, ${Math.round((performance.now() - started) / 1000)} s:`
          + ` ok ${t.ok}, stale ${t.stale}, spurious_404 ${t.spurious_404}, status_503 ${t.status_503}, other_error ${t.other_error}`)
      }
    }
  }))

  const failingChecks = Object.fromEntries(Object.entries(stats.byCheck)
    .filter(([, counts]) => OUTCOMES.some((o) => o !== 'ok' && counts[o] > 0))
    .map(([name, counts]) => [name, Object.fromEntries(Object.entries(counts).filter(([, n]) => n > 0))]))
  const t = stats.totals
  const failed = t.stale > 0 || t.spurious_404 > 0 || t.other_error > 0 || (t.status_503 > 0 && !options.allow503)
  for (const example of stats.examples) {
    console.log(`[consistency:example] ${example.outcome} | ${example.kind} > ${example.check} | ${example.detail}`)
  }
  const summary = {
    result: failed ? 'fail' : 'pass',
    // First, so that a report cut short still says what failed.
    failure_examples: stats.examples.filter((e) => e.outcome !== 'ok' && e.outcome !== 'status_503').slice(0, 5)
      .map((e) => `${e.outcome} | ${e.kind} > ${e.check} | ${String(e.detail).slice(0, 600)}`),
    sequences: done,
    requested: options.sequences,
    truncated,
    stopped,
    clients: options.clients,
    workspaces: workspaceCount,
    workspace_mode: options.workspaces,
    seed: options.seed,
    async_bound_ms: ASYNC_BOUND_MS,
    allow_503: options.allow503,
    elapsed_ms: Math.round(performance.now() - started),
    checks: OUTCOMES.reduce((sum, o) => sum + t[o], 0),
    totals: t,
    by_kind: stats.byKind,
    failing_checks: failingChecks,
    unsupported: stats.unsupported,
    set_aside_identities: stats.tainted,
    // How long each asynchronous effect took to show completely on each view, from its write.
    async_shown_after: stats.asyncLatencies(),
  }
  console.log(`[consistency] ${JSON.stringify(summary)}`)
  if (options.summaryFile) writeFileSync(options.summaryFile, `${JSON.stringify(summary)}\n`)
  process.exitCode = failed ? 1 : 0
}

main().catch((error) => {
  console.error(`[consistency] could not run: ${error?.stack ?? error}`)
  process.exit(2)
})
