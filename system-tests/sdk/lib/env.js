// What the suite runs against, and small helpers shared by the test files.
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'

import { SeamHttp, SeamHttpApiError } from '@seamapi/http'

function required(name) {
  const value = process.env[name]
  if (value == null || value.trim() === '') {
    throw new Error(
      `${name} is not set. Start the platform (./lockstep-local) and set LOCKSTEP_ENDPOINT, ` +
        'LOCKSTEP_API_KEY and LOCKSTEP_ADMIN_TOKEN (see system-tests/README.md).',
    )
  }
  return value.trim()
}

/** The platform's base URL, without a trailing slash, e.g. http://127.0.0.1:8080 */
export const endpoint = required('LOCKSTEP_ENDPOINT').replace(/\/+$/, '')
/** An API key of the sandbox workspace. */
export const apiKey = required('LOCKSTEP_API_KEY')
/** The operator's token for /admin/*. */
export const adminToken = required('LOCKSTEP_ADMIN_TOKEN')

/** The official SDK, pointed at Lockstep by its endpoint only. */
export function seamClient(key = apiKey) {
  return new SeamHttp({ apiKey: key, endpoint })
}

/** Seam's timestamps: ISO-8601, UTC, milliseconds. */
export const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** POST /admin/... with the admin token; asserts a 200 {"ok": true} answer and returns its body. */
export async function admin(path, body) {
  const response = await fetch(`${endpoint}${path}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${adminToken}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  })
  const text = await response.text()
  assert.equal(response.status, 200, `POST ${path} ${JSON.stringify(body)} answered ${response.status}: ${text}`)
  const json = JSON.parse(text)
  assert.equal(json.ok, true, `POST ${path} answered without ok: true: ${text}`)
  return json
}

/** A new workspace with its first API key: { workspace, apiKey, apiKeyId }. */
export async function createWorkspace(name = `system-test ${randomUUID()}`) {
  const created = await admin('/admin/workspaces/create', { name })
  assert.equal(created.workspace.name, name)
  assert.match(created.api_key.token, /^seam_/)
  return { workspace: created.workspace, apiKey: created.api_key.token, apiKeyId: created.api_key.api_key_id }
}

/**
 * A new workspace with the sandbox's devices and ACS system (device-gateway's admin API), its key
 * accepted by device-gateway: { workspace, apiKey, provisioned, seam }, where `provisioned` is
 * { connected_account, devices, acs_systems }.
 */
export async function createSandboxWorkspace() {
  const created = await createWorkspace()
  const seam = seamClient(created.apiKey)
  await awaitAccepted(() => seam.devices.list(), { what: 'the new workspace\'s key (device-gateway)' })
  const provisioned = await admin('/admin/sandbox/provision_workspace', { workspace_id: created.workspace.workspace_id })
  return { ...created, provisioned, seam }
}

/**
 * A new API key is published to every service through Kafka: calls `probe` with the SDK until it
 * succeeds or `timeoutMs` passes, and returns how long that took.
 */
export async function awaitAccepted(probe, { timeoutMs = 10_000, what = 'the new API key' } = {}) {
  const started = Date.now()
  let last
  while (Date.now() - started < timeoutMs) {
    try {
      await probe()
      return Date.now() - started
    } catch (error) {
      last = error
      if (!(error instanceof SeamHttpApiError) || error.statusCode !== 401) throw error
    }
    await sleep(50)
  }
  throw new Error(`${what} was not accepted within ${timeoutMs} ms; last error: ${last}`)
}

/**
 * Phones belong to a user identity. Uses /user_identities/create where the platform serves it;
 * until then phone-service takes any UUID (it keeps no projection of identities yet).
 */
export async function newUserIdentityId(seam) {
  try {
    const identity = await seam.userIdentities.create({ full_name: `System Test ${randomUUID().slice(0, 8)}` })
    return identity.user_identity_id
  } catch (error) {
    if (error instanceof SeamHttpApiError && error.code === 'endpoint_not_found') return randomUUID()
    throw error
  }
}

/**
 * Runs `call` and returns what it threw, asserting that it threw an instance of `type`.
 * Shows what came back instead when it did not throw.
 */
export async function rejection(call, type) {
  let result
  try {
    result = await call()
  } catch (error) {
    assert.ok(
      error instanceof type,
      `expected ${type.name}, got ${error?.constructor?.name}: ${error?.message}` +
        (error?.cause?.response ? ` (HTTP ${error.cause.response.status} ${JSON.stringify(error.cause.response.data)})` : ''),
    )
    return error
  }
  assert.fail(`expected ${type.name}, but the call succeeded with ${JSON.stringify(result)}`)
}

export { randomUUID, sleep }

/** Every phone of the list, page by page (`limit` + `page_cursor`), however many there are. */
export async function listAllPhones(seam, parameters = {}) {
  const phones = []
  let cursor
  for (let page = 0; page < 10_000; page++) {
    const response = await seam.phones.list({ ...parameters, limit: 100, page_cursor: cursor }).fetchResponse()
    phones.push(...response.phones)
    if (!response.pagination.has_next_page) return phones
    cursor = response.pagination.next_page_cursor
    assert.equal(typeof cursor, 'string', `next_page_cursor after page ${page}`)
  }
  assert.fail('phones.list did not end after 10,000 pages')
}
