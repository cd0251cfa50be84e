// Every read and write is scoped to the caller's workspace: another workspace's ids are not found.
import assert from 'node:assert/strict'
import { test } from 'node:test'

import { SeamHttpApiError } from '@seamapi/http'

import { awaitAccepted, createWorkspace, listAllPhones, newUserIdentityId, rejection, seamClient } from '../lib/env.js'
import { assertMatchesSchema } from '../lib/schemas.js'

const seamA = seamClient()
let seamB
let workspaceA
let workspaceB
let owner
let phoneA

test('setup: a second workspace, created through the admin API', async () => {
  workspaceA = await seamA.workspaces.get()
  const created = await createWorkspace()
  workspaceB = created.workspace
  assertMatchesSchema('workspace', workspaceB, '/admin/workspaces/create workspace')
  assert.notEqual(workspaceB.workspace_id, workspaceA.workspace_id)
  seamB = seamClient(created.apiKey)
  await awaitAccepted(() => seamB.workspaces.get(), { what: 'the second workspace\'s key (identity-service)' })
  await awaitAccepted(() => seamB.phones.list(), { what: 'the second workspace\'s key (phone-service)' })

  owner = await newUserIdentityId(seamA)
  phoneA = await seamA.phones.simulate.createSandboxPhone({ user_identity_id: owner })
  assertMatchesSchema('phone', phoneA)
})

test('each key sees its own workspace only', async () => {
  const b = await seamB.workspaces.get()
  assertMatchesSchema('workspace', b, 'workspaces.get (B)')
  assert.deepEqual(b, workspaceB)
  assert.deepEqual(await seamB.workspaces.list(), [workspaceB])
  assert.deepEqual(await seamA.workspaces.list(), [workspaceA])
})

test('the second workspace cannot see the first workspace\'s phone', async () => {
  const error = await rejection(() => seamB.phones.get({ device_id: phoneA.device_id }), SeamHttpApiError)
  assert.equal(error.code, 'phone_not_found')
  assert.equal(error.statusCode, 404)
  assert.deepEqual(await seamB.phones.list({ owner_user_identity_id: owner }), [])
  assert.deepEqual(await seamB.phones.list(), [])
})

test('the second workspace cannot deactivate the first workspace\'s phone', async () => {
  const error = await rejection(() => seamB.phones.deactivate({ device_id: phoneA.device_id }), SeamHttpApiError)
  assert.equal(error.code, 'phone_not_found')
  assert.deepEqual(await seamA.phones.get({ device_id: phoneA.device_id }), phoneA, 'still active for its own workspace')
  assert.deepEqual(await seamA.phones.list({ owner_user_identity_id: owner }), [phoneA])
})

test('a phone the second workspace registers is its own, and invisible to the first', async () => {
  const ownerB = await newUserIdentityId(seamB)
  const phoneB = await seamB.phones.simulate.createSandboxPhone({ user_identity_id: ownerB })
  assertMatchesSchema('phone', phoneB)
  assert.equal(phoneB.workspace_id, workspaceB.workspace_id)
  assert.deepEqual(await seamB.phones.list(), [phoneB])
  assert.deepEqual(await seamB.phones.list({ owner_user_identity_id: ownerB }), [phoneB])
  assert.deepEqual(await seamA.phones.list({ owner_user_identity_id: ownerB }), [])
  const error = await rejection(() => seamA.phones.get({ device_id: phoneB.device_id }), SeamHttpApiError)
  assert.equal(error.code, 'phone_not_found')
  assert.ok(!(await listAllPhones(seamA)).some((phone) => phone.device_id === phoneB.device_id))
})
