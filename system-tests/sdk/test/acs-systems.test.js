// /acs/systems through the official SDK: the sandbox's credential manager, read and searched.
import assert from 'node:assert/strict'
import { test } from 'node:test'

import { SeamHttpApiError, SeamHttpInvalidInputError } from '@seamapi/http'

import { createSandboxWorkspace, randomUUID, rejection, seamClient } from '../lib/env.js'
import { assertMatchesSchema } from '../lib/schemas.js'

let sandbox
let seam
let system

test('the platform\'s sandbox workspace has a credential manager for mobile keys', async () => {
  const systems = await seamClient().acs.systems.list()
  systems.forEach((s, i) => assertMatchesSchema('acs_system', s, `sandbox acs.systems.list[${i}]`))
  assert.ok(systems.some((s) => s.is_credential_manager && s.external_type === 'assa_abloy_credential_service'))
})

test('setup: a fresh sandbox workspace', async () => {
  sandbox = await createSandboxWorkspace()
  seam = sandbox.seam
  assert.equal(sandbox.provisioned.acs_systems.length, 1)
  system = sandbox.provisioned.acs_systems[0]
})

test('acs.systems.list returns the workspace\'s systems, each a Seam acs_system', async () => {
  const systems = await seam.acs.systems.list()
  systems.forEach((s, i) => assertMatchesSchema('acs_system', s, `acs.systems.list[${i}]`))
  assert.deepEqual(systems, [system])
  assert.equal(system.workspace_id, sandbox.workspace.workspace_id)
  assert.equal(system.connected_account_id, sandbox.provisioned.connected_account.connected_account_id)
  assert.equal(system.is_credential_manager, true)
})

test('acs.systems.get returns the system', async () => {
  const got = await seam.acs.systems.get({ acs_system_id: system.acs_system_id })
  assertMatchesSchema('acs_system', got, 'acs.systems.get')
  assert.deepEqual(got, system)
})

test('acs.systems.list filters by connected account and searches name and id', async () => {
  const accountId = sandbox.provisioned.connected_account.connected_account_id
  assert.deepEqual(await seam.acs.systems.list({ connected_account_id: accountId }), [system])
  assert.deepEqual(await seam.acs.systems.list({ connected_account_id: randomUUID() }), [])
  assert.deepEqual(await seam.acs.systems.list({ search: 'ABLOY' }), [system])
  assert.deepEqual(await seam.acs.systems.list({ search: system.acs_system_id.slice(0, 8) }), [system])
  assert.deepEqual(await seam.acs.systems.list({ search: 'Salto' }), [])
})

test('unknown and malformed ids are Seam errors the SDK understands', async () => {
  const unknown = await rejection(() => seam.acs.systems.get({ acs_system_id: randomUUID() }), SeamHttpApiError)
  assert.equal(unknown.code, 'acs_system_not_found')
  assert.equal(unknown.statusCode, 404)
  const invalid = await rejection(() => seam.acs.systems.get({ acs_system_id: 'nope' }), SeamHttpInvalidInputError)
  assert.ok(invalid.getValidationErrorMessages('acs_system_id').length > 0)
})

test('another workspace cannot see the system', async () => {
  const other = seamClient()
  const error = await rejection(() => other.acs.systems.get({ acs_system_id: system.acs_system_id }), SeamHttpApiError)
  assert.equal(error.code, 'acs_system_not_found')
  assert.ok(!(await other.acs.systems.list()).some((s) => s.acs_system_id === system.acs_system_id))
})
