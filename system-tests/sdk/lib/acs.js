// Helpers shared by the /acs/users and /acs/credentials suites: a fresh sandbox workspace whose
// key every service accepts, and polling for the effects that are asynchronous in Seam too.
//
// The platform is read-your-writes consistent across contexts: once a write has answered, every
// request that starts afterwards, to any endpoint of any service, reflects it. So the suites read
// what a call wrote at once, with no retry. Only Seam's own asynchronous effects are polled, with
// `eventually` and a bound: the revocation of a lost phone's keys, the child credential of a
// multi-phone-sync credential on each phone, and programming on the ACS.
import assert from 'node:assert/strict'

import { SeamHttpApiError } from '@seamapi/http'

import { awaitAccepted, createSandboxWorkspace, rejection, sleep } from './env.js'

/**
 * How long an effect that is asynchronous in Seam (children issued or revoked, programming on the
 * ACS) may take to show. The flows take tens of milliseconds (bench/: p99 15.4 ms from
 * phones.deactivate to the last acs_credential.deleted at 100 phones/s); 2 s leaves room for a
 * loaded 2-core machine.
 */
export const ASYNC_EFFECT_BOUND_MS = 2_000

/**
 * A new workspace with the sandbox's devices and its ACS system (a credential manager), its key
 * accepted by every service the suites call: { workspace, apiKey, provisioned, seam, acsSystem }.
 */
export async function createAcsSandbox() {
  const sandbox = await createSandboxWorkspace()
  const { seam } = sandbox
  await awaitAccepted(() => seam.workspaces.get(), { what: 'the new workspace\'s key (identity-service)' })
  await awaitAccepted(() => seam.phones.list(), { what: 'the new workspace\'s key (phone-service)' })
  await awaitAccepted(() => seam.acs.users.list(), { what: 'the new workspace\'s key (credential-service /acs/users)' })
  await awaitAccepted(() => seam.acs.credentials.list(), { what: 'the new workspace\'s key (credential-service /acs/credentials)' })
  assert.equal(sandbox.provisioned.acs_systems.length, 1, 'the sandbox workspace has one ACS system')
  return { ...sandbox, acsSystem: sandbox.provisioned.acs_systems[0] }
}

/**
 * Polls `probe` until `done(value)` holds; returns { value, elapsedMs }, fails with the last value seen.
 * Only for effects that are asynchronous in Seam (see ASYNC_EFFECT_BOUND_MS): what a call wrote is
 * read at once.
 */
export async function eventually(probe, done, { timeoutMs = ASYNC_EFFECT_BOUND_MS, intervalMs = 25, what = 'the condition' } = {}) {
  const started = Date.now()
  let last
  while (true) {
    last = await probe()
    const elapsedMs = Date.now() - started
    if (done(last)) return { value: last, elapsedMs }
    if (elapsedMs >= timeoutMs) break
    await sleep(intervalMs)
  }
  assert.fail(`${what} did not happen within ${timeoutMs} ms; last seen: ${JSON.stringify(last)}`)
}

/** Asserts that `call` throws a SeamHttpApiError with this code and HTTP status; returns it. */
export async function apiError(call, code, statusCode) {
  const error = await rejection(call, SeamHttpApiError)
  assert.equal(error.code, code, `error code (message: ${error.message})`)
  assert.equal(error.statusCode, statusCode)
  assert.ok(typeof error.requestId === 'string' && error.requestId.length > 0, 'requestId is set')
  return error
}

/** Sorted ids of a list of objects, for order-insensitive comparisons. */
export const idsOf = (objects, key) => objects.map((object) => object[key]).sort()
