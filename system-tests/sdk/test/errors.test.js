// The SDK's error classes come from Lockstep's error responses: invalid input with per-parameter
// validation errors, and 401s for wrong and revoked API keys.
import assert from 'node:assert/strict'
import { test } from 'node:test'

import { SeamHttpApiError, SeamHttpInvalidInputError, SeamHttpUnauthorizedError } from '@seamapi/http'

import { admin, awaitAccepted, newUserIdentityId, randomUUID, rejection, seamClient, sleep } from '../lib/env.js'
import { assertMatchesSchema } from '../lib/schemas.js'

const seam = seamClient()

function assertNamesParameter(error, parameterName) {
  assert.equal(error.code, 'invalid_input')
  assert.equal(error.statusCode, 400)
  assert.ok(error.requestId.length > 0, 'requestId is set')
  const entry = error.validationErrors.find((e) => e.parameterName === parameterName)
  assert.ok(entry, `validationErrors name ${parameterName}: ${JSON.stringify(error.validationErrors)}`)
  assert.ok(Array.isArray(entry.errorMessages) && entry.errorMessages.length > 0, `messages for ${parameterName}`)
  entry.errorMessages.forEach((message) => assert.equal(typeof message, 'string'))
  assert.deepEqual(error.getValidationErrorMessages(parameterName), entry.errorMessages)
}

test('phones.get with a device_id that is not a UUID throws SeamHttpInvalidInputError naming device_id', async () => {
  const error = await rejection(() => seam.phones.get({ device_id: 'not-a-uuid' }), SeamHttpInvalidInputError)
  assertNamesParameter(error, 'device_id')
})

test('phones.deactivate with a device_id that is not a UUID throws SeamHttpInvalidInputError', async () => {
  const error = await rejection(() => seam.phones.deactivate({ device_id: 'not-a-uuid' }), SeamHttpInvalidInputError)
  assertNamesParameter(error, 'device_id')
})

test('phones.list with a bad owner_user_identity_id throws SeamHttpInvalidInputError naming it', async () => {
  const error = await rejection(() => seam.phones.list({ owner_user_identity_id: 'nope' }), SeamHttpInvalidInputError)
  assertNamesParameter(error, 'owner_user_identity_id')
})

test('createSandboxPhone with a bad user_identity_id throws SeamHttpInvalidInputError naming it', async () => {
  const error = await rejection(
    () => seam.phones.simulate.createSandboxPhone({ user_identity_id: 'not-a-uuid' }),
    SeamHttpInvalidInputError,
  )
  assertNamesParameter(error, 'user_identity_id')
})

test('a wrong API key throws SeamHttpUnauthorizedError, on every service', async () => {
  const wrong = seamClient(`seam_${randomUUID().replaceAll('-', '')}`)
  for (const call of [() => wrong.workspaces.get(), () => wrong.phones.list(), () => wrong.phones.get({ device_id: randomUUID() })]) {
    const error = await rejection(call, SeamHttpUnauthorizedError)
    assert.equal(error.code, 'unauthorized')
    assert.equal(error.statusCode, 401)
    assert.ok(error.requestId.length > 0, 'requestId is set on a 401')
  }
})

test('a revoked API key is refused within 1 s by every service', async () => {
  const workspace = await seam.workspaces.get()
  const created = await admin('/admin/api_keys/create', { workspace_id: workspace.workspace_id })
  const key = created.api_key
  assert.match(key.token, /^seam_/)
  assert.equal(key.workspace_id, workspace.workspace_id)

  const second = seamClient(key.token)
  // A new key travels to every service through Kafka.
  const identityLatency = await awaitAccepted(() => second.workspaces.get(), { what: 'the new key (identity-service)' })
  const phoneLatency = await awaitAccepted(() => second.phones.list(), { what: 'the new key (phone-service)' })
  console.log(`new key accepted after ${identityLatency} ms (workspaces) and ${identityLatency + phoneLatency} ms (phones)`)
  assert.deepEqual(await second.workspaces.get(), workspace)
  const phone = await second.phones.simulate.createSandboxPhone({ user_identity_id: await newUserIdentityId(seam) })
  assertMatchesSchema('phone', phone, 'createSandboxPhone with the second key')
  assert.deepEqual(await seam.phones.get({ device_id: phone.device_id }), phone, 'both keys see the same workspace')

  await admin('/admin/api_keys/revoke', { api_key_id: key.api_key_id })
  const revokedAt = Date.now()
  const pending = new Map([
    ['workspaces.get', () => second.workspaces.get()],
    ['phones.list', () => second.phones.list()],
    ['phones.get', () => second.phones.get({ device_id: phone.device_id })],
  ])
  const refusedAfter = {}
  while (pending.size > 0 && Date.now() - revokedAt <= 1_000) {
    for (const [name, call] of pending) {
      try {
        await call()
      } catch (error) {
        if (!(error instanceof SeamHttpUnauthorizedError)) throw error
        refusedAfter[name] = Date.now() - revokedAt
        pending.delete(name)
      }
    }
    if (pending.size > 0) await sleep(25)
  }
  console.log(`revoked key refused after ${JSON.stringify(refusedAfter)} ms`)
  assert.deepEqual([...pending.keys()], [], 'calls still accepted 1 s after the key was revoked')

  // Refused for good, and the workspace's other key is unaffected.
  const error = await rejection(() => second.phones.list(), SeamHttpUnauthorizedError)
  assert.equal(error.code, 'unauthorized')
  assert.deepEqual(await seam.phones.get({ device_id: phone.device_id }), phone)

  // Revoking again is idempotent.
  await admin('/admin/api_keys/revoke', { api_key_id: key.api_key_id })
})

test('an SDK error is always a SeamHttpApiError with a code and a request id', async () => {
  const error = await rejection(() => seam.phones.get({ device_id: randomUUID() }), SeamHttpApiError)
  assert.equal(typeof error.code, 'string')
  assert.ok(error.requestId.length > 0)
})
